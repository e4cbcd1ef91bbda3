/** GET /api/areas/at?lng=&lat=[&level=]: the area under a point. In the fast lane. */
import { endpoint } from '$lib/server/http/endpoint';
import * as areas from '$lib/server/http/areas';

export const GET = endpoint(areas.getAreaAt);
