/** GET /api/cases/nearby?lng=&lat=&category=: open cases close to a point, before reporting. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const GET = endpoint(cases.getNearby);
