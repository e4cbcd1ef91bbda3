/** GET /api/evaluation/export?year=&format=xlsx|csv: the evaluation for the annual target assessment (考核评价, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as evaluation from '$lib/server/http/evaluation';

export const GET = endpoint(evaluation.getExport);
