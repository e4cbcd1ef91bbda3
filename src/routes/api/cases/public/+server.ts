/** POST /api/cases/public: a resident's report, no account (rate-limited, honeypot). */
import { endpoint } from '$lib/server/endpoint';
import * as cases from '$lib/server/cases';

export const POST = endpoint(cases.postPublicCase);
