/**
 * Open311 GeoReport v2 over HTTP (its specification: see README): another app (a city app, a
 * hotline system) lists our case categories as services, reports a case, and follows cases —
 * in JSON or XML, as the path's extension says, with errors in the spec's own shape. This
 * module reads the spec's parameters and renders its documents; what is served and a report's
 * way into the case loop are interfaces/open311.ts. Reading is public, as the spec intends.
 *
 * One document tree is rendered both ways (as mySociety's Open311::Endpoint does): JSON drops
 * the root (`[…]` for lists), XML names each list item by the list (services → service,
 * service_requests → request …). Small enough that a builder of our own, with escapeXml,
 * beats a dependency: the spec's documents are flat elements without attributes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, errorXml, escapeXml, fail } from '../platform/errors.js';
import { asApiError, type Call, type Handler, type Reply } from './endpoint.js';
import { MAX_CODE, checkPlainText, checkText, queryNumber, queryText } from './params.js';
import { take } from './rate-limit.js';
import { CASE_BODY_LIMIT } from './cases.js';
import type { ReportInput } from '../cases/cases.js';
import { publicPoint, showsText } from '../cases/case-publication.js';
import { apiKey, categories, findCategory, findRequests, JURISDICTION_ID, report, type Category, type RequestRow } from '../interfaces/open311.js';
import { label } from '../../i18n.js';

/**
 * What discovery advertises, from config/open311-discovery.json: the specification's own
 * identifier (a string clients compare, never fetched) and the deployment's contact, kept out
 * of the code so a deployment edits them. Read once.
 */
interface Discovery {
	specification: string;
	changeset: string;
	contact: string;
	key_service: string;
}
let discovery: Discovery | null = null;
function discoveryConfig(): Discovery {
	discovery ??= JSON.parse(fs.readFileSync(path.resolve(process.env.OPEN311_DISCOVERY_FILE ?? 'config/open311-discovery.json'), 'utf8')) as Discovery;
	return discovery;
}

const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];

/** The spec's default window for GET requests. */
const DEFAULT_DAYS = 90;
/** service_request_id lists longer than this are refused rather than turned into a huge IN list. */
const MAX_IDS = 200;
/** The spec's JSON schema caps a description at 4,000 characters. */
const MAX_DESCRIPTION = 4000;

// ---------------------------------------------------------------- documents

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

/** A spec document: its XML root element and its content. */
interface Document {
	root: string;
	body: Value;
}

/** The element of one item of a list, as the spec's XML examples name it. */
const ITEM: Record<string, string> = {
	services: 'service',
	service_requests: 'request',
	attributes: 'attribute',
	values: 'value',
	endpoints: 'endpoint',
	formats: 'format',
	errors: 'error'
};

function element(name: string, value: Value): string {
	if (value === null || value === undefined) return `<${name}/>`;
	if (Array.isArray(value)) {
		const item = ITEM[name];
		if (!item) throw new Error(`no XML item name for the list ${name}`);
		return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
	}
	if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
	return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

function render(doc: Document, format: Format, status: number, headers: Record<string, string> = {}): Reply {
	const body = format === 'json' ? JSON.stringify(doc.body) : `<?xml version="1.0" encoding="utf-8"?>\n${element(doc.root, doc.body)}`;
	return { status, headers: { 'Content-Type': CONTENT_TYPE[format], ...headers }, body };
}

/** The spec's error document: `[{"code", "description"}]`, or errors.ts's `<errors><error>…`. */
function errorDocument(error: ApiError, format: Format): Reply {
	const headers = { ...error.headers, 'Content-Type': CONTENT_TYPE[format], 'Cache-Control': 'no-store' };
	const body = format === 'xml' ? errorXml(error) : JSON.stringify([{ code: error.status, description: error.message }]);
	return { status: error.status, headers, body };
}

/** The format a path asks for by its extension; JSON when it names none we serve. */
function formatOfPath(path: string): Format {
	return /\.xml$/i.test(path) ? 'xml' : 'json';
}

/**
 * An Open311 handler: reads the format from the path (`services.[format]`), runs `answer`,
 * and renders what it returns or throws in that format.
 */
function serve(answer: (call: Call) => Promise<{ doc: Document; status?: number; headers?: Record<string, string> }>): Handler {
	return async (call) => {
		const raw = call.params.format ?? '';
		const format: Format = raw === 'xml' ? 'xml' : 'json';
		try {
			if (raw !== 'json' && raw !== 'xml') fail(404, `format '${raw.slice(0, 20)}' is not served: end the path in .json or .xml`);
			const { doc, status = 200, headers = {} } = await answer(call);
			return render(doc, format, status, headers);
		} catch (error) {
			return errorDocument(asApiError(error), format);
		}
	};
}

/** Any other path under /open311: a 404 in the spec's error format, not the HTML page. */
export async function noSuchEndpoint(call: Call): Promise<Reply> {
	return errorDocument(new ApiError(404, `no Open311 endpoint ${call.method} ${call.path}; see /open311/v2/discovery.json`), formatOfPath(call.path));
}

/**
 * A refusal made before any handler ran (a write from another site, SvelteKit's 405) as the
 * spec's error document, so an Open311 client can parse every answer it gets.
 */
export function refusal(path: string, error: unknown): Reply {
	return errorDocument(asApiError(error), formatOfPath(path));
}

/** Whether a path is under /open311 (hooks.server.ts renders refusals there with `refusal`). */
export function isOpen311Path(path: string): boolean {
	return /^\/open311(\/|$)/.test(path);
}

// ---------------------------------------------------------------- parameters

/** jurisdiction_id may be left out (we serve one) or name ours; another is not found. */
function checkJurisdiction(fields: URLSearchParams, status: 400 | 404): void {
	const id = queryText(fields, 'jurisdiction_id', MAX_CODE);
	if (id !== undefined && id !== JURISDICTION_ID) fail(status, `jurisdiction_id '${id.slice(0, 40)}' was not found; this server serves ${JURISDICTION_ID} (合江县)`);
}

/** A comma list parameter: trimmed, non-empty entries, at most `max`. */
function commaList(fields: URLSearchParams, name: string, max: number): string[] | undefined {
	const raw = queryText(fields, name);
	if (raw === undefined) return undefined;
	const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
	if (items.length > max) fail(400, `${name} may list at most ${max} values, got ${items.length}`);
	for (const item of items) checkText(name, item, MAX_CODE);
	return items.length ? items : undefined;
}

const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A w3c datetime with its zone, as the spec requires. A bare day (YYYY-MM-DD) is taken as
 * midnight in the county (UTC+8, no daylight saving), which is what a person typing it means.
 */
function queryDatetime(fields: URLSearchParams, name: string): Date | undefined {
	const raw = queryText(fields, name, 40);
	if (raw === undefined) return undefined;
	const text = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+08:00` : raw;
	const at = new Date(text);
	if (!W3C_DATETIME.test(text) || Number.isNaN(at.getTime())) fail(400, `${name} '${raw}' must be a w3c datetime with its zone, such as 2026-11-30T09:30:00+08:00`);
	// Date rolls an impossible day or time over (2026-02-30 becomes 2026-03-02): refuse it instead.
	if (!realCalendarTime(text)) fail(400, `${name} '${raw}' names a day or time that does not exist`);
	return at;
}

/** Whether the wall-clock date and time written in a w3c datetime exist (month 1–12, the month's days, 00:00–23:59:59). */
function realCalendarTime(text: string): boolean {
	const [y, mo, d, h, mi, se] = [0, 5, 8, 11, 14, 17].map((at, i) => Number(text.slice(at, at + (i === 0 ? 4 : 2))));
	const seconds = text[16] === ':' ? se : 0;
	const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, seconds));
	return wall.getUTCFullYear() === y && wall.getUTCMonth() === mo - 1 && wall.getUTCDate() === d && wall.getUTCHours() === h && wall.getUTCMinutes() === mi && seconds < 60;
}

/** An instant as the spec writes it (w3c, with zone), in the county's time UTC+8. */
export function w3c(value: Date | string | null): string | null {
	if (value === null) return null;
	const at = new Date(new Date(value).getTime() + 8 * 3_600_000);
	return `${at.toISOString().slice(0, 19)}+08:00`;
}

// ---------------------------------------------------------------- services

/** Who takes a category's reports, in words (a department rule without a department falls back to the community: cases.dispatchRule). */
function takenBy(c: Category): string {
	if (c.handler === 'grid_worker') return '所在网格的网格员';
	if (c.handler === 'department' && c.department) return c.department;
	return '所在社区';
}

const GROUPS: Record<Category['handler'], string> = { grid_worker: '网格事项', community: '社区事项', department: '部门事项' };

function service(c: Category): Record<string, Value> {
	const name = label('zh', 'category', c.code);
	return {
		service_code: c.code,
		service_name: name,
		description: `${name}问题，由${takenBy(c)}受理。`,
		// Every service has attributes (the notice and the optional title below).
		metadata: true,
		type: 'realtime',
		keywords: [name, label('en', 'category', c.code), c.code].join(','),
		group: GROUPS[c.handler]
	};
}

/**
 * The attributes of every service. No urgency or matter type: a report from outside is not
 * graded — the community grades it when registering (五事分流), as for the public form — so a
 * choice here would be ignored and mislead. What a client gets instead is the notice (not
 * user input: variable false) and an optional title, which becomes the case's title.
 */
function attributes(c: Category): Value[] {
	return [
		{
			variable: false,
			code: 'notice',
			datatype: 'text',
			required: false,
			datatype_description: null,
			order: 1,
			description: `本渠道受理非紧急问题，由${takenBy(c)}办理；紧急情况请拨打 110、119 或 120。请勿在描述中填写他人的个人信息。`
		},
		{
			variable: true,
			code: 'title',
			datatype: 'string',
			required: false,
			datatype_description: '不超过 120 字；不填则取描述的第一行',
			order: 2,
			description: '问题标题'
		}
	];
}

/** GET /open311/v2/discovery.{format}: where the endpoint is and what it speaks (Open311 Service Discovery). */
export const getDiscovery = serve(async (call) => ({
	doc: {
		root: 'discovery',
		body: {
			changeset: discoveryConfig().changeset,
			contact: discoveryConfig().contact,
			key_service: discoveryConfig().key_service,
			endpoints: [
				{
					specification: discoveryConfig().specification,
					url: `${call.origin}/open311/v2`,
					changeset: discoveryConfig().changeset,
					type: 'production',
					formats: ['text/xml', 'application/json']
				}
			]
		}
	},
	headers: { 'Cache-Control': 'public, max-age=3600' }
}));

/** GET /open311/v2/services.{format}: the active case categories. */
export const getServices = serve(async (call) => {
	checkJurisdiction(call.query, 404);
	return { doc: { root: 'services', body: (await categories(call.db.knex)).map(service) }, headers: { 'Cache-Control': 'no-cache' } };
});

/** GET /open311/v2/services/{service_code}.{format}: a service's definition (its attributes). */
export const getServiceDefinition = serve(async (call) => {
	checkJurisdiction(call.query, 404);
	const code = checkText('service_code', call.params.service_code ?? '', MAX_CODE);
	const c = await findCategory(call.db.knex, code, 404);
	return { doc: { root: 'service_definition', body: { service_code: c.code, attributes: attributes(c) } }, headers: { 'Cache-Control': 'no-cache' } };
});

// ---------------------------------------------------------------- requests

/** What to expect: who handles it and by when (the deadline on the work calendar). */
function serviceNotice(row: Pick<RequestRow, 'open' | 'agency' | 'due_at'>): string | null {
	if (!row.open || !row.agency) return null;
	const due = w3c(row.due_at);
	return due ? `由${row.agency}办理，应于 ${due.slice(0, 10)} ${due.slice(11, 16)} 前办结` : `由${row.agency}办理`;
}

/**
 * A case as the public sees it: what its category's publication allows (case-publication.ts).
 * Fields withheld stay in the document as empty values, so every request has the spec's
 * fields; lat and long are rounded or empty where the point is not published exactly.
 */
function serviceRequest(row: RequestRow): Record<string, Value> {
	const status = label('zh', 'status', row.status);
	const point = publicPoint(row.publication, Number(row.lng), Number(row.lat));
	const text = showsText(row.publication);
	return {
		service_request_id: row.code,
		status: row.open ? 'open' : 'closed',
		status_notes: row.reply ? `${status}：${row.reply}` : status,
		service_name: label('zh', 'category', row.category),
		service_code: row.category,
		description: text ? row.description : null,
		agency_responsible: row.agency,
		service_notice: serviceNotice(row),
		requested_datetime: w3c(row.reported_at),
		updated_datetime: w3c(row.updated_at),
		expected_datetime: w3c(row.due_at),
		address: text ? row.address : null,
		// The building the case is in: the county's own address key.
		address_id: text ? row.building_code : null,
		zipcode: null,
		lat: point?.lat ?? null,
		long: point?.lng ?? null,
		media_url: text ? row.media_url : null
	};
}

/**
 * GET /open311/v2/requests.{format}: service_request_id (comma list; then nothing else
 * applies), service_code (comma list), status (open, closed or both), start_date/end_date.
 * Without dates the last 90 days; a range may not span more than 90 days; at most 1,000.
 */
export const getRequests = serve(async (call) => {
	const q = call.query;
	checkJurisdiction(q, 404);
	const ids = commaList(q, 'service_request_id', MAX_IDS);
	const statuses = commaList(q, 'status', 2);
	for (const s of statuses ?? []) if (s !== 'open' && s !== 'closed') fail(400, `status '${s.slice(0, 20)}' is not one of open, closed`);
	const span = DEFAULT_DAYS * 86_400_000;
	let start = queryDatetime(q, 'start_date');
	let end = queryDatetime(q, 'end_date');
	if (start && end && start > end) fail(400, 'start_date must not be later than end_date');
	if (start && end && end.getTime() - start.getTime() > span) fail(400, `start_date to end_date may not span more than ${DEFAULT_DAYS} days`);
	end ??= start ? new Date(start.getTime() + span) : new Date();
	start ??= new Date(end.getTime() - span);
	const status = statuses?.length === 1 ? (statuses[0] as 'open' | 'closed') : undefined;
	const rows = await findRequests(call.db.knex, { ids, codes: commaList(q, 'service_code', 50), status, start, end });
	return { doc: { root: 'service_requests', body: rows.map(serviceRequest) }, headers: { 'Cache-Control': 'no-cache' } };
});

/** GET /open311/v2/requests/{service_request_id}.{format}: one request, as a list of one (the spec's shape). */
export const getRequest = serve(async (call) => {
	checkJurisdiction(call.query, 404);
	const id = checkText('service_request_id', call.params.service_request_id ?? '', MAX_CODE);
	const rows = await findRequests(call.db.knex, { ids: [id], start: new Date(0), end: new Date() });
	if (!rows.length) fail(404, `service_request_id '${id.slice(0, 60)}' was not found`);
	return { doc: { root: 'service_requests', body: rows.map(serviceRequest) }, headers: { 'Cache-Control': 'no-cache' } };
});

// ---------------------------------------------------------------- reporting

/**
 * The fields of a POST: the spec sends them form-encoded; multipart (which some clients use
 * to attach media) is read too, but a file in it is refused — media travel as media_url.
 */
async function formFields(call: Call): Promise<URLSearchParams> {
	const type = (call.header('content-type') ?? '').toLowerCase();
	const bytes = await call.body(CASE_BODY_LIMIT);
	if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(Buffer.from(bytes).toString('utf8'));
	if (type.startsWith('multipart/form-data')) {
		let form: FormData;
		try {
			form = await new Response(bytes as BodyInit, { headers: { 'content-type': call.header('content-type')! } }).formData();
		} catch {
			fail(400, 'the multipart/form-data body could not be read');
		}
		const fields = new URLSearchParams();
		for (const [name, value] of form) {
			if (typeof value !== 'string') fail(400, `${name.slice(0, 40)} is a file: send media as media_url, a link to it`);
			fields.append(name, value);
		}
		return fields;
	}
	fail(415, 'POST a service request as application/x-www-form-urlencoded (or multipart/form-data)');
}

/** An optional plain-text field, trimmed. */
function plainField(fields: URLSearchParams, name: string, max: number): string | undefined {
	const value = queryText(fields, name, max)?.trim();
	return value ? checkPlainText(name, value) : undefined;
}

/** The reporter's name as a Chinese reader writes it: family name first, no space, unless it is in Latin letters. */
function personName(first: string | undefined, last: string | undefined): string | undefined {
	if (!first && !last) return undefined;
	const latin = /[A-Za-z]/.test(`${first ?? ''}${last ?? ''}`);
	return latin ? [first, last].filter(Boolean).join(' ') : `${last ?? ''}${first ?? ''}`;
}

function contactOf(fields: URLSearchParams): string | undefined {
	const email = plainField(fields, 'email', 100);
	const phone = plainField(fields, 'phone', 30);
	if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(400, `email '${email.slice(0, 60)}' is not an e-mail address`);
	if (phone && !/^\+?[\d\s()-]{5,30}$/.test(phone)) fail(400, `phone '${phone}' is not a telephone number`);
	return [email, phone].filter(Boolean).join(' / ') || undefined;
}

function mediaUrl(fields: URLSearchParams): string | undefined {
	const raw = queryText(fields, 'media_url', 500)?.trim();
	if (!raw) return undefined;
	let url: URL | null = null;
	try {
		url = new URL(raw);
	} catch {
		/* refused below */
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail(400, `media_url '${raw.slice(0, 60)}' must be an http or https URL`);
	return url.href;
}

/** The place: lat and long. We cannot geocode offline, so an address alone is not enough. */
function place(fields: URLSearchParams): { lng: number; lat: number } {
	const hasLat = fields.has('lat') && fields.get('lat') !== '';
	const hasLong = fields.has('long') && fields.get('long') !== '';
	if (!hasLat && !hasLong) {
		if (queryText(fields, 'address_string') || queryText(fields, 'address_id')) {
			fail(400, 'lat and long are required: this server cannot place address_string or address_id on the map; send them as the address, beside lat and long');
		}
		fail(400, 'lat and long are required (WGS84)');
	}
	return { lat: queryNumber(fields, 'lat', -90, 90), lng: queryNumber(fields, 'long', -180, 180) };
}

/** A title from the description when the client gives none (as cases.reportInput does). */
function titleFrom(description: string): string {
	const line = description.split(/\r?\n/)[0].trim();
	return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

export function open311ReportLimit(): number {
	const value = Number(process.env.OPEN311_REPORTS_PER_10_MIN ?? 60);
	return Number.isInteger(value) && value > 0 ? value : 60;
}

/**
 * POST /open311/v2/requests.{format}: another app reports a case. The key says which app and
 * which source the case counts under; an app forwards many residents from one address, hence
 * a limit per key and address above the public form's. Device and account ids are checked
 * but not kept (no column holds them); unknown attribute[…] are ignored, as the spec leaves
 * them to the server. The rating secret a resident's report gets has no place in Open311.
 */
export const postRequest = serve(async (call) => {
	const fields = await formFields(call);
	const key = await apiKey(call.db.knex, queryText(fields, 'api_key', 200));
	take(`open311:${key.id}:${call.clientAddress}`, open311ReportLimit(), 10 * 60_000, 'service requests');
	checkJurisdiction(fields, 400);
	const code = queryText(fields, 'service_code', MAX_CODE);
	if (!code) fail(400, 'service_code is required: one of the codes GET services lists');
	const category = await findCategory(call.db.knex, code, 400);
	const { lng, lat } = place(fields);
	const description = plainField(fields, 'description', MAX_DESCRIPTION);
	if (!description) fail(400, 'description is required: what is wrong, in a sentence or more');
	queryText(fields, 'device_id', 100);
	queryText(fields, 'account_id', 100);
	const title = plainField(fields, 'attribute[title]', 120);
	const name = personName(plainField(fields, 'first_name', 30), plainField(fields, 'last_name', 30));
	const input: ReportInput = {
		category: category.code,
		matter_type: 'practical',
		urgency: 'general',
		title: title ?? titleFrom(description),
		description,
		lng,
		lat,
		photos: [],
		resolved_on_site: false,
		reporter_name: name,
		reporter_contact: contactOf(fields),
		address: plainField(fields, 'address_string', 200),
		media_url: mediaUrl(fields),
		source: key.source
	};
	const { code: created, row } = await report(call.db.knex, key, input);
	return {
		doc: { root: 'service_requests', body: [{ service_request_id: created, service_notice: row ? serviceNotice(row) : null, account_id: null }] },
		status: 201,
		headers: { 'Cache-Control': 'no-store', Location: `/open311/v2/requests/${created}.${call.params.format}` }
	};
});
