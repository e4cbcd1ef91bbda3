/**
 * The county dashboard over HTTP: the period and figure of a request, the permission check,
 * and the answers. The verbs live in governance/dashboard.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { queryDate, queryOneOf, queryText, MAX_CODE } from './params.js';
import { allow } from './allow.js';
import { fail } from '../platform/errors.js';
import * as dashboard from '../governance/dashboard.js';
import { DASHBOARD_FIGURES } from '../../domain/dashboard.js';

const NO_STORE = { 'Cache-Control': 'private, no-cache' };

/** The period of a request: `from` and `to` (both included), by default this year up to today (China). */
export function readPeriod(query: URLSearchParams): dashboard.Period {
	const from = queryDate(query, 'from');
	const to = queryDate(query, 'to');
	return dashboard.period({ from, to });
}

/** GET /api/dashboard?from=&to=: every figure of the period, per community and per month. */
export async function getDashboard(call: Call): Promise<Reply> {
	const user = allow(call.user, 'dashboard.read');
	return json(await dashboard.dashboard(call.db.knex, user, call.scope, readPeriod(call.query)), 200, NO_STORE);
}

/** GET /api/dashboard/records?figure=&from=&to=&community=: the records one figure counts. */
export async function getRecords(call: Call): Promise<Reply> {
	const user = allow(call.user, 'dashboard.read');
	const figure = queryOneOf(call.query, 'figure', DASHBOARD_FIGURES);
	if (!figure) fail(400, `figure is required: one of ${DASHBOARD_FIGURES.join(', ')}`);
	const period = readPeriod(call.query);
	const community = queryText(call.query, 'community', MAX_CODE);
	return json(await dashboard.records(call.db.knex, user, call.scope, period, figure, community), 200, NO_STORE);
}
