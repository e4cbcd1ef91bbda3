/** GET /api/dashboard: the county dashboard's figures for a period (issue 14). */
import { endpoint } from '$lib/server/http/endpoint';
import * as dashboard from '$lib/server/http/dashboard';

export const GET = endpoint(dashboard.getDashboard);
