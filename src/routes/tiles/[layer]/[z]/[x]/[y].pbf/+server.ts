/** GET /tiles/{layer}/{z}/{x}/{y}.pbf: a Mapbox Vector Tile, cached per territory and data version. In the fast lane. */
import { endpoint } from '$lib/server/http/endpoint';
import * as tiles from '$lib/server/http/tiles';

export const GET = endpoint(tiles.getTile);
