/** GET /api/evaluation?year=: a year's evaluation per community and department (考核评价, issue 14). */
import { endpoint } from '$lib/server/endpoint';
import * as evaluation from '$lib/server/evaluation';

export const GET = endpoint(evaluation.getEvaluation);
