/** GET /api/cases/{code}/reporter?token=…: the case as its reporter sees it through their link. */
import { endpoint } from '$lib/server/http/endpoint';
import * as reporter from '$lib/server/http/case-reporter';

export const GET = endpoint(reporter.getView);
