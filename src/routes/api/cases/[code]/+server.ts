/** GET /api/cases/{code}: one case with its timeline; ETag is its version. */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const GET = endpoint(cases.getCase);
