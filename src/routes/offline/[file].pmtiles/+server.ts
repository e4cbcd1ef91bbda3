/** GET /offline/{file}.pmtiles: an exported PMTiles archive, by byte ranges, for the accounts that may read it. */
import { endpoint } from '$lib/server/http/endpoint';
import * as offlineTiles from '$lib/server/http/offline-tiles';

export const GET = endpoint(offlineTiles.getArchive);
