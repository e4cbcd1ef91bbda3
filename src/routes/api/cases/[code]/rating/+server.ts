/** POST /api/cases/{code}/rating: the resident's satisfaction, 1–5. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const POST = endpoint(cases.postRating);
