/** GET /tiles/{layer}.json: TileJSON 3.0.0 for a layer. In the fast lane. */
import { endpoint } from '$lib/server/http/endpoint';
import * as tiles from '$lib/server/http/tiles';

export const GET = endpoint(tiles.getTileJson);
