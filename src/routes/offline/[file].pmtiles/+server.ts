/** GET /offline/{file}.pmtiles: an exported PMTiles archive, by byte ranges, for the accounts that may read it. */
import { endpoint } from '$lib/server/endpoint';
import * as offlineTiles from '$lib/server/offline-tiles';

export const GET = endpoint(offlineTiles.getArchive);
