/** POST /api/cases/{code}/rating: the resident's satisfaction, 1–5. */
import { endpoint } from '$lib/server/endpoint';
import * as cases from '$lib/server/cases';

export const POST = endpoint(cases.postRating);
