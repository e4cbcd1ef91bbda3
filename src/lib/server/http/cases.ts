/**
 * Cases over HTTP: the endpoints of the case loop (cases.ts) — reading a report, a transition
 * or a work list's filters from a request, the permission check, and the reply (its ETag, the
 * CSV and GeoJSON exports). The loop itself, and who may take which transition, stay in the
 * domain modules under cases/.
 */
import { fail } from '../platform/errors.js';
import { json, type Call, type Reply } from './endpoint.js';
import {
	bodyCode, bodyDate, bodyFlag, bodyInstant, bodyNumber, bodyOneOf, bodyOptionalText, bodyText, bodyTextList, checkPlainText,
	parseJsonObject, pathCode, queryBbox, queryDate, queryInt, queryNumber, queryOneOf, queryText, MAX_CODE, type JsonObject
} from './params.js';
import { take } from './rate-limit.js';
import { csvDocument } from './csv.js';
import { allow } from './allow.js';
import * as cases from '../cases/cases.js';
import type { CaseFilter } from '../cases/case-filters.js';
import { ISSUE_STATUSES, MATTER_TYPES, URGENCIES, type IssueSource } from '../../domain/glossary.js';

/** Reports and transitions are small JSON; photos travel separately (POST /api/photos). */
export const CASE_BODY_LIMIT = 64 * 1024;

const REPORT_SHAPE = '{"category", "description", "lng", "lat", "matter_type"?, "urgency"?, "title"?, "photos"?: [token, …], "resolved_on_site"?, "idempotency_key"?, "reported_at"?, "hand_over"?}';

/** The title a report gets when it has none: the start of its text. */
function titleFrom(description: string): string {
	const line = description.split(/\r?\n/)[0].trim();
	return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

/** A report from a request body; `resident` reads only what the public form may set. */
export function reportInput(body: JsonObject, source: IssueSource, resident: boolean): cases.ReportInput {
	const description = checkPlainText('description', bodyText(body, 'description', { hint: 'what is wrong, in a sentence or more' }));
	const title = bodyOptionalText(body, 'title', 120);
	const input: cases.ReportInput = {
		category: bodyCode(body, 'category'),
		// A resident does not grade 五事分流: the community does when registering.
		matter_type: resident ? 'practical' : (bodyOptionalText(body, 'matter_type') === undefined ? 'practical' : bodyOneOf(body, 'matter_type', MATTER_TYPES)),
		urgency: resident ? 'general' : (bodyOptionalText(body, 'urgency') === undefined ? 'general' : bodyOneOf(body, 'urgency', URGENCIES)),
		title: title ? checkPlainText('title', title.trim()) : titleFrom(description),
		description,
		lng: bodyNumber(body, 'lng', -180, 180),
		lat: bodyNumber(body, 'lat', -90, 90),
		photos: bodyTextList(body, 'photos', cases.MAX_PHOTOS),
		resolved_on_site: resident ? false : bodyFlag(body, 'resolved_on_site'),
		idempotency_key: bodyOptionalText(body, 'idempotency_key', 100),
		reporter_name: resident ? bodyOptionalText(body, 'name', 60) : undefined,
		reporter_contact: resident ? bodyOptionalText(body, 'contact', 60) : undefined,
		address: bodyOptionalText(body, 'address', 200),
		reported_at: bodyInstant(body, 'reported_at', new Date(Date.now() - 30 * 86_400_000)),
		source,
		hand_over: resident ? false : bodyFlag(body, 'hand_over')
	};
	for (const field of ['reporter_name', 'reporter_contact', 'address'] as const) {
		const value = input[field];
		if (value) checkPlainText(field === 'reporter_name' ? 'name' : field === 'reporter_contact' ? 'contact' : field, value);
	}
	return input;
}

/** The answer to a created case: 201, its place, and its version as the ETag. */
function createdReply(created: cases.Created, publicForm: boolean): Reply {
	const body: object = publicForm
		? { code: created.code, status: created.status, rating_link: created.reporter_token ? `/report/${created.code}?token=${created.reporter_token}` : undefined }
		: created;
	return json(body, created.repeated ? 200 : 201, { Location: `/api/cases/${created.code}`, ETag: cases.etagOf(created.version) });
}

/** POST /api/cases: staff report a case at a point (the map's click, the phone's position). */
export async function postCase(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case.report');
	const body = parseJsonObject(await call.body(CASE_BODY_LIMIT), REPORT_SHAPE);
	const input = reportInput(body, cases.staffSource(user), false);
	return createdReply(await cases.create(call.db.knex, { user, name: user.username }, call.scope, input), false);
}

/**
 * POST /api/cases/public: a resident's report, no account. Rate-limited per address; the
 * hidden `website` field is a honeypot a person leaves empty; any status, handler or grading
 * a client sends is not read.
 */
export async function postPublicCase(call: Call): Promise<Reply> {
	take(`report:${call.clientAddress}`, publicReportLimit(), 10 * 60_000, 'reports');
	const body = parseJsonObject(await call.body(CASE_BODY_LIMIT), '{"category", "description", "lng", "lat", "name"?, "contact"?, "photos"?}');
	if (typeof body.website === 'string' && body.website !== '') fail(400, 'website must be left empty');
	const input = reportInput(body, 'resident', true);
	return createdReply(await cases.create(call.db.knex, { user: null, name: input.reporter_name ?? '居民' }, { kind: 'outlines' }, input), true);
}

/** Reports one address may send on the public form in ten minutes (PUBLIC_REPORTS_PER_10_MIN). */
export function publicReportLimit(): number {
	const value = Number(process.env.PUBLIC_REPORTS_PER_10_MIN ?? 5);
	return Number.isInteger(value) && value > 0 ? value : 5;
}

/** GET /api/cases/{code}: the case with its timeline, for a caller who may see it; its version as the ETag. */
export async function getCase(call: Call): Promise<Reply> {
	const code = pathCode(call.params, 'code');
	const record = await cases.read(call.db.knex, call.user, call.scope, code);
	if (!record) {
		// Not there, or not theirs to see: a signed-in caller hears it does not exist.
		allow(call.user, 'case.read');
		fail(404, `no case with code '${code}'`);
	}
	return json(record, 200, { ETag: cases.etagOf(record.version), 'Cache-Control': 'private, no-cache' });
}

/** The version a write must carry in If-Match: a 428 without one, a 400 when it is not ours. */
export function versionOf(ifMatch: string | null): number {
	if (ifMatch === null || ifMatch.trim() === '') fail(428, 'If-Match is required: send the ETag of the case as you last read it');
	const m = /^\s*(?:W\/)?"v(\d{1,9})"\s*$/.exec(ifMatch);
	if (!m) fail(412, `If-Match ${ifMatch.slice(0, 40)} is not a version of this case`);
	return Number(m[1]);
}

const TRANSITION_SHAPE = '{"to": "registered", "note"?, "public_reply"?, "photos"?, "departments"?, "handler"?, "matter_type"?, "urgency"?, "backlog_reason"?, "backlog_review_on"?, "duplicate_of"?}';

function transitionInput(body: JsonObject): cases.TransitionInput {
	const handler = Object.hasOwn(body, 'handler') ? body.handler : undefined;
	let chosen: cases.TransitionInput['handler'];
	if (handler !== undefined && handler !== null) {
		if (typeof handler !== 'object' || Array.isArray(handler)) fail(400, 'handler must be {"kind": "grid_worker" | "community" | "department", "code"?}');
		const h = handler as JsonObject;
		chosen = { kind: bodyOneOf(h, 'kind', ['grid_worker', 'community', 'department'] as const), code: bodyOptionalText(h, 'code', 100) };
	}
	const note = bodyOptionalText(body, 'note');
	const reply = bodyOptionalText(body, 'public_reply', cases.MAX_PUBLIC_REPLY)?.trim();
	return {
		to: bodyOneOf(body, 'to', ISSUE_STATUSES),
		note: note === undefined ? undefined : checkPlainText('note', note),
		public_reply: reply ? checkPlainText('public_reply', reply) : undefined,
		photos: bodyTextList(body, 'photos', cases.MAX_PHOTOS),
		departments: bodyTextList(body, 'departments', 20),
		handler: chosen,
		matter_type: bodyOptionalText(body, 'matter_type') === undefined ? undefined : bodyOneOf(body, 'matter_type', MATTER_TYPES),
		urgency: bodyOptionalText(body, 'urgency') === undefined ? undefined : bodyOneOf(body, 'urgency', URGENCIES),
		backlog_reason: bodyOptionalText(body, 'backlog_reason'),
		backlog_review_on: bodyOptionalText(body, 'backlog_review_on') === undefined ? undefined : bodyDate(body, 'backlog_review_on'),
		duplicate_of: bodyOptionalText(body, 'duplicate_of', 100)
	};
}

/** The case as it is after a change: 200 with the new ETag. */
async function changedReply(call: Call, code: string): Promise<Reply> {
	const record = await cases.read(call.db.knex, call.user, call.scope, code);
	if (!record) return { status: 204, headers: { 'Cache-Control': 'no-store' } };
	return json(record, 200, { ETag: cases.etagOf(record.version) });
}

/** POST /api/cases/{code}/transitions (If-Match: the ETag read): moves the case on. */
export async function postTransition(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case.transition');
	const code = pathCode(call.params, 'code');
	const version = versionOf(call.header('if-match'));
	const input = transitionInput(parseJsonObject(await call.body(CASE_BODY_LIMIT), TRANSITION_SHAPE));
	await cases.transition(call.db.knex, user, call.scope, code, version, input);
	return changedReply(call, code);
}

/** POST /api/cases/{code}/acknowledge (If-Match): a department's 报到 of an escalation. */
export async function postAcknowledge(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case.acknowledge');
	const code = pathCode(call.params, 'code');
	const version = versionOf(call.header('if-match'));
	const raw = await call.body(CASE_BODY_LIMIT);
	const note = raw.byteLength ? bodyOptionalText(parseJsonObject(raw, '{"note"?}'), 'note') : undefined;
	await cases.acknowledge(call.db.knex, user, call.scope, code, version, note === undefined ? undefined : checkPlainText('note', note));
	return changedReply(call, code);
}

/** POST /api/cases/{code}/rating {"rating": 1–5, "token"?}: the resident's satisfaction. */
export async function postRating(call: Call): Promise<Reply> {
	const code = pathCode(call.params, 'code');
	const body = parseJsonObject(await call.body(4096), '{"rating": 1–5, "token"?}');
	const rating = bodyNumber(body, 'rating', 1, 5);
	if (!Number.isInteger(rating)) fail(400, 'rating must be a whole number from 1 to 5');
	const token = bodyOptionalText(body, 'token', 100);
	if (!token && !call.user) fail(401, 'sign in, or use the link you were given when you reported');
	if (token) take(`rating:${call.clientAddress}`, 30, 10 * 60_000, 'ratings');
	await cases.rate(call.db.knex, token ? null : call.user, call.scope, code, rating, token);
	return { status: 204, headers: { 'Cache-Control': 'no-store' } };
}

/** A work list's narrowing as a query string asks for it (the page's URL and the API's alike); a 400 naming the parameter when a value cannot be one. */
export function filterFrom(query: URLSearchParams): CaseFilter {
	const filter: CaseFilter = {};
	const category = queryText(query, 'category', MAX_CODE);
	if (category) filter.category = category;
	const grid = queryText(query, 'grid', MAX_CODE);
	if (grid) filter.grid = grid;
	const overdue = queryOneOf(query, 'overdue', ['1', '0'] as const);
	if (overdue === '1') filter.overdue = true;
	const matter = queryOneOf(query, 'matter_type', MATTER_TYPES);
	if (matter) filter.matter_type = matter;
	return filter;
}

/** GET /api/cases?list=handle[&category=&grid=&overdue=1&matter_type=]: one of the caller's work lists, narrowed. */
export async function getWorkList(call: Call): Promise<Reply> {
	const user = allow(call.user, 'case.worklist.read');
	const wanted = queryOneOf(call.query, 'list', cases.WORK_LISTS);
	const limit = queryInt(call.query, 'limit', 200, 1, 1000);
	const list = cases.chooseList(user, wanted);
	const narrow = filterFrom(call.query);
	return json({ list, ...(await cases.workList(call.db.knex, user, call.scope, list, limit, narrow)) }, 200, { 'Cache-Control': 'private, no-cache' });
}

/** GET /api/cases/counts: how many wait in each of the caller's lists (the header badge). */
export async function getCounts(call: Call): Promise<Reply> {
	if (!call.user) return json({ total: 0, lists: {} });
	return json(await cases.workCounts(call.db.knex, call.user, call.scope), 200, { 'Cache-Control': 'private, no-cache' });
}

/** GET /api/cases/nearby?lng=&lat=&category=: open cases close by, before a report is sent. */
export async function getNearby(call: Call): Promise<Reply> {
	const lng = queryNumber(call.query, 'lng', -180, 180);
	const lat = queryNumber(call.query, 'lat', -90, 90);
	const categoryCode = queryText(call.query, 'category', 100);
	const metres = cases.duplicateMetres();
	return json({ metres, items: await cases.nearby(call.db.knex, call.scope, lng, lat, categoryCode, metres) });
}

// ---------------------------------------------------------------- exports

const EXPORT_FIELDS: (keyof cases.ExportRow)[] = [
	'code', 'title', 'category', 'matter_type', 'urgency', 'status', 'source', 'reported_at', 'due_at', 'overdue', 'resolved_on_site',
	'handler_kind', 'handler', 'grid_code', 'community_code', 'rating', 'lng', 'lat'
];

function exportFilter(query: URLSearchParams): cases.ExportFilter {
	const bbox = query.has('bbox') ? queryBbox(query) : undefined;
	return {
		status: queryOneOf(query, 'status', ISSUE_STATUSES),
		category: queryText(query, 'category', 100),
		from: queryDate(query, 'from'),
		to: queryDate(query, 'to'),
		overdue: query.get('overdue') === '1' || query.get('overdue') === 'true',
		bbox
	};
}

/** GET /api/cases.csv?status=&category=&from=&to=&overdue=&bbox=: the caller's cases as CSV (UTF-8 with BOM, for spreadsheets). */
export async function getCsv(call: Call): Promise<Reply> {
	allow(call.user, 'case.export');
	const rows = await cases.exportRows(call.db.knex, call.scope, exportFilter(call.query));
	return { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="cases.csv"', 'Cache-Control': 'private, no-store' }, body: csvDocument(EXPORT_FIELDS, rows) };
}

/** GET /api/cases.geojson?…: the same rows as a GeoJSON FeatureCollection of points (RFC 7946). */
export async function getGeojson(call: Call): Promise<Reply> {
	allow(call.user, 'case.export');
	const rows = await cases.exportRows(call.db.knex, call.scope, exportFilter(call.query));
	const features = rows.map(({ lng, lat, ...properties }) => ({ type: 'Feature', id: properties.code, geometry: { type: 'Point', coordinates: [lng, lat] }, properties }));
	return {
		status: 200,
		headers: { 'Content-Type': 'application/geo+json; charset=utf-8', 'Content-Disposition': 'attachment; filename="cases.geojson"', 'Cache-Control': 'private, no-store' },
		body: JSON.stringify({ type: 'FeatureCollection', features })
	};
}
