/** GET /api/areas/{level}/{code}/overlays: renovation projects and flood spots inside an area. */
import { endpoint } from '$lib/server/http/endpoint';
import * as overlays from '$lib/server/http/areas';

export const GET = endpoint(overlays.getOverlays);
