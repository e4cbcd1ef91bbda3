/** PUT /api/evaluation/communities/{code}: a community's self-report and county score (考核评价, issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as evaluation from '$lib/server/http/evaluation';

export const PUT = endpoint(evaluation.putCommunity);
