/**
 * The renovation ledger over HTTP: reading the ledger's filters from a query and a project's
 * fields from a body, the permission check, and the answers (JSON, CSV, GeoJSON, photo bytes).
 * The verbs themselves live in renovation/renovation.ts.
 */
import type { JsonObject } from './params.js';
import { bodyDate, bodyFlag, bodyOptionalText, bodyText, checkPlainText, MAX_CODE, parseJsonObject, pathCode, pathId, queryText } from './params.js';
import { json, type Call, type Reply } from './endpoint.js';
import { allow } from './allow.js';
import { csvDocument } from './csv.js';
import { fail } from '../platform/errors.js';
import * as renovation from '../renovation/renovation.js';
import { readGeoJson } from '../../geo/geojson-check.js';
import { MAX_PHOTO_BYTES } from '../cases/photo-processing.js';
import { RENOVATION_STATUSES, type RenovationStatus } from '../../domain/glossary.js';

/** Largest amount of money a field takes: ¥100 billion, far above any county programme, far below 2^53. */
const MAX_YUAN = 100_000_000_000;

// ---------------------------------------------------------------- reading requests

/** A whole number query parameter within [min, max], or undefined when absent. */
function queryWhole(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
	const raw = queryText(query, name, 20);
	if (raw === undefined || raw === '') return undefined;
	if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(400, `${name} must be a whole number from ${min} to ${max}, got '${raw.slice(0, 20)}'`);
	return Number(raw);
}

/** The ledger's filters from a query string: status (repeated or comma-separated), batch, year, street, community, demonstration. */
export function readFilter(query: URLSearchParams): renovation.LedgerFilter {
	const filter: renovation.LedgerFilter = {};
	const statuses = query.getAll('status').flatMap((s) => s.split(',')).filter((s) => s !== '');
	for (const s of statuses) {
		if (!(RENOVATION_STATUSES as readonly string[]).includes(s)) fail(400, `status must be one of ${RENOVATION_STATUSES.join(', ')}, got '${s.slice(0, 40)}'`);
	}
	if (statuses.length) filter.statuses = statuses as RenovationStatus[];
	filter.batch = queryWhole(query, 'batch', 0, 1000);
	filter.year = queryWhole(query, 'year', 1900, 2999);
	const street = queryText(query, 'street', MAX_CODE);
	if (street) filter.street = street;
	const community = queryText(query, 'community', MAX_CODE);
	if (community) filter.community = community;
	const demo = queryText(query, 'demonstration', 5);
	if (demo !== undefined && demo !== '') {
		if (demo !== 'true' && demo !== 'false') fail(400, `demonstration must be true or false, got '${demo}'`);
		filter.demonstration = demo === 'true';
	}
	return filter;
}

/** A whole number of yuan ≥ 0, or a 400 naming the field. */
function yuan(name: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_YUAN) {
		fail(400, `${name} must be a whole number of yuan from 0 to ${MAX_YUAN}, got ${JSON.stringify(value)?.slice(0, 40) ?? 'nothing'}`);
	}
	return value;
}

const has = (body: JsonObject, name: string) => Object.hasOwn(body, name) && body[name] !== undefined;

/** Reads a create or edit body: every field optional here; create checks what it needs. */
export function projectInput(body: JsonObject): renovation.ProjectInput {
	const input: renovation.ProjectInput = {};
	const known = new Set(['code', 'name', 'status', 'status_on', 'batch', 'contractor', 'start_date', 'end_date', 'progress_pct', 'is_demonstration', 'party_branch_set_up', 'red_property', 'geometry', 'funds']);
	for (const key of Object.keys(body)) {
		if (['budget_yuan', 'funds_secured_yuan', 'spent_yuan'].includes(key)) {
			const v = body[key];
			if (typeof v === 'number' && v < 0) fail(400, `${key} must not be negative, got ${v}`);
			fail(400, `${key} is the sum of funds by source: send funds: {"<source>": {"planned"|"secured"|"spent": yuan}}`);
		}
		if (!known.has(key)) fail(400, `unknown field '${key.slice(0, 40)}'; fields are ${[...known].join(', ')}`);
	}
	if (has(body, 'code')) {
		input.code = bodyText(body, 'code', { max: MAX_CODE });
		if (!/^[A-Za-z0-9_-]+$/.test(input.code)) fail(400, 'code may hold letters, digits, - and _ only');
	}
	if (has(body, 'name')) input.name = checkPlainText('name', bodyText(body, 'name', { max: 200 }));
	if (has(body, 'status')) {
		const s = body.status;
		if (typeof s !== 'string' || !(RENOVATION_STATUSES as readonly string[]).includes(s)) fail(400, `status must be one of ${RENOVATION_STATUSES.join(', ')}`);
		input.status = s as RenovationStatus;
	}
	if (has(body, 'status_on')) input.status_on = bodyDate(body, 'status_on');
	if (has(body, 'batch')) {
		const b = body.batch;
		if (b !== null && (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 1000)) fail(400, `batch must be a whole number from 0 to 1000, got ${JSON.stringify(b)}`);
		input.batch = b as number | null;
	}
	if (has(body, 'contractor')) {
		const c = bodyOptionalText(body, 'contractor', 200);
		input.contractor = c === undefined ? null : checkPlainText('contractor', c);
	}
	for (const day of ['start_date', 'end_date'] as const) {
		if (has(body, day)) input[day] = body[day] === null || body[day] === '' ? null : bodyDate(body, day);
	}
	if (input.start_date && input.end_date && input.end_date < input.start_date) fail(400, `end_date ${input.end_date} is before start_date ${input.start_date}`);
	if (has(body, 'progress_pct')) {
		const p = body.progress_pct;
		if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100) fail(400, `progress_pct must be a whole number from 0 to 100, got ${JSON.stringify(p)?.slice(0, 20)}`);
		input.progress_pct = p;
	}
	for (const flag of ['is_demonstration', 'party_branch_set_up', 'red_property'] as const) {
		if (has(body, flag)) input[flag] = bodyFlag(body, flag);
	}
	if (has(body, 'geometry')) {
		const g = body.geometry;
		if (!g || typeof g !== 'object' || Array.isArray(g)) fail(400, 'geometry must be a GeoJSON Polygon or MultiPolygon');
		const text = JSON.stringify(g);
		const read = readGeoJson(text, { allowed: ['Polygon', 'MultiPolygon'], crs: 'wgs84' });
		if (!read.ok) fail(400, `geometry: ${read.error}`);
		if (read.problems.length) fail(400, `geometry: ${read.problems[0].reason}`);
		input.geometry = JSON.stringify(read.features[0].geometry);
	}
	if (has(body, 'funds')) {
		const f = body.funds;
		if (!f || typeof f !== 'object' || Array.isArray(f)) fail(400, `funds must be an object by source (${renovation.FUND_SOURCES.join(', ')}) of {planned, secured, spent} in yuan`);
		input.funds = [];
		for (const [source, cells] of Object.entries(f as JsonObject)) {
			if (!(renovation.FUND_SOURCES as readonly string[]).includes(source)) fail(400, `funds: source '${source.slice(0, 40)}' is unknown; one of ${renovation.FUND_SOURCES.join(', ')}`);
			if (!cells || typeof cells !== 'object' || Array.isArray(cells)) fail(400, `funds.${source} must be an object of planned, secured, spent`);
			for (const [kind, amount] of Object.entries(cells as JsonObject)) {
				if (!(renovation.FUND_KINDS as readonly string[]).includes(kind)) fail(400, `funds.${source}: kind '${kind.slice(0, 40)}' is unknown; one of ${renovation.FUND_KINDS.join(', ')}`);
				input.funds.push({ source: source as renovation.FundSource, kind: kind as renovation.FundKind, amount: yuan(`funds.${source}.${kind}`, amount) });
			}
		}
	}
	return input;
}

// ---------------------------------------------------------------- handlers

/** GET /api/renovation: the filtered projects and their totals. */
export async function getLedger(call: Call): Promise<Reply> {
	allow(call.user, 'renovation.read');
	return json(await renovation.ledger(call.db.knex, call.scope, readFilter(call.query)), 200, { 'Cache-Control': 'private, no-store' });
}

/** POST /api/renovation: creates a project (admin, housing). */
export async function postProject(call: Call): Promise<Reply> {
	const user = allow(call.user, 'renovation.create');
	const input = projectInput(parseJsonObject(await call.body(2_000_000), '{"name", "geometry", "funds", …}'));
	const { code } = await renovation.create(call.db.knex, user, input);
	return json({ code }, 201, { Location: `/api/renovation/${encodeURIComponent(code)}` });
}

/** GET /api/renovation/:code: one project with its timeline, money, coverage and issues by month. */
export async function getProject(call: Call): Promise<Reply> {
	allow(call.user, 'renovation.read');
	const code = pathCode(call.params, 'code');
	const record = await renovation.read(call.db.knex, call.scope, code);
	if (!record) fail(404, `no renovation project with code '${code}'`);
	return json(record, 200, { 'Cache-Control': 'private, no-store' });
}

/** PATCH /api/renovation/:code: a status step, progress, money, fields, area (admin, housing). */
export async function patchProject(call: Call): Promise<Reply> {
	const user = allow(call.user, 'renovation.edit');
	const code = pathCode(call.params, 'code');
	const input = projectInput(parseJsonObject(await call.body(2_000_000), '{"status", "progress_pct", "funds", …}'));
	await renovation.update(call.db.knex, user, code, input);
	return json(await renovation.read(call.db.knex, call.scope, code));
}

/** GET /api/renovation/gaps: old compounds no project covers. */
export async function getGaps(call: Call): Promise<Reply> {
	allow(call.user, 'renovation.read');
	return json({ gaps: await renovation.gaps(call.db.knex, call.scope) }, 200, { 'Cache-Control': 'private, no-store' });
}

/** GET /api/renovation.csv: the filtered ledger as CSV. */
export async function getCsv(call: Call): Promise<Reply> {
	allow(call.user, 'renovation.read');
	const { projects } = await renovation.ledger(call.db.knex, call.scope, readFilter(call.query));
	return {
		status: 200,
		headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="renovation.csv"', 'Cache-Control': 'private, no-store' },
		body: csvDocument(renovation.EXPORT_FIELDS, projects)
	};
}

/** GET /api/renovation.geojson: the filtered projects with their areas. */
export async function getGeojson(call: Call): Promise<Reply> {
	allow(call.user, 'renovation.read');
	const fc = await renovation.features(call.db.knex, call.scope, readFilter(call.query));
	return json(fc, 200, { 'Content-Type': 'application/geo+json; charset=utf-8', 'Content-Disposition': 'attachment; filename="renovation.geojson"', 'Cache-Control': 'private, no-store' });
}

/** POST /api/renovation/:code/photos?phase=before|after: one JPEG, PNG or WebP as the body (admin, housing). */
export async function postPhoto(call: Call): Promise<Reply> {
	const user = allow(call.user, 'renovation.photo');
	const code = pathCode(call.params, 'code');
	const phase = call.query.get('phase');
	if (phase !== 'before' && phase !== 'after') fail(400, `phase must be one of ${renovation.PHOTO_PHASES.join(', ')}`);
	const bytes = await call.body(MAX_PHOTO_BYTES);
	return json(await renovation.addPhoto(call.db.knex, user, code, phase, bytes), 201);
}

/** GET /api/renovation/:code/photos/:id[?size=thumb]: a photo of a project the caller may read. */
export async function getPhoto(call: Call): Promise<Reply> {
	allow(call.user, 'renovation.read');
	const code = pathCode(call.params, 'code');
	const id = pathId(call.params, 'id');
	const found = await renovation.photo(call.db.knex, call.scope, code, id, call.query.get('size') === 'thumb');
	if (!found) fail(404, `no photo ${id} of renovation project '${code}'`);
	return {
		status: 200,
		headers: { 'Content-Type': found.mime, 'Cache-Control': 'private, max-age=86400', 'X-Content-Type-Options': 'nosniff' },
		body: found.bytes
	};
}
