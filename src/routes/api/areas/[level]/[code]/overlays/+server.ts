/** GET /api/areas/{level}/{code}/overlays: renovation projects and flood spots inside an area. */
import { endpoint } from '$lib/server/endpoint';
import * as overlays from '$lib/server/area-overlays';

export const GET = endpoint(overlays.getOverlays);
