/** GET /api/evaluation?year=: a year's evaluation per community and department (考核评价, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as evaluation from '$lib/server/http/evaluation';

export const GET = endpoint(evaluation.getEvaluation);
