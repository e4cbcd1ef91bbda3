/** POST /api/cases/public: a resident's report, no account (rate-limited, honeypot). */
import { endpoint } from '$lib/server/http/endpoint';
import * as cases from '$lib/server/http/cases';

export const POST = endpoint(cases.postPublicCase);
