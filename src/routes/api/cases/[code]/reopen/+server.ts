/** POST /api/cases/{code}/reopen: the reporter reopens a resolved case within 14 days, with a reason. */
import { endpoint } from '$lib/server/http/endpoint';
import * as reporter from '$lib/server/http/case-reporter';

export const POST = endpoint(reporter.postReopen);
