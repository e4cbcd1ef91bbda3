/**
 * Issues as records: a list by bounding box, one record by code, a CSV export — each
 * filtered by the caller's scope (territory.ts).
 */
import type { Knex } from 'knex';
import { overdueSql } from '../../domain/issues.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { json, type Call, type Reply } from '../http/endpoint.js';
import { fail } from '../platform/errors.js';
import { pathCode, queryBbox, queryInt, type Bbox } from '../http/params.js';
import { csvDocument } from '../http/csv.js';

export const MAX_LIST = 1000;

const COLUMNS = `i.code, i.title, i.category, i.matter_type, i.urgency, i.status, i.source,
	i.reported_at, i.due_at, ${overdueSql('i')} AS overdue, i.resolved_on_site,
	(SELECT b.code FROM buildings b WHERE b.id = i.building_id) AS building_code,
	ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat`;

export interface IssueRecord {
	code: string;
	title: string;
	category: string;
	matter_type: string;
	urgency: string;
	status: string;
	source: string;
	reported_at: string;
	due_at: string | null;
	overdue: boolean;
	resolved_on_site: boolean;
	building_code: string | null;
	lng: number;
	lat: number;
}

function normalise(row: Record<string, unknown>): IssueRecord {
	return {
		...(row as unknown as IssueRecord),
		reported_at: new Date(row.reported_at as string).toISOString(),
		due_at: row.due_at == null ? null : new Date(row.due_at as string).toISOString(),
		lng: Number(row.lng),
		lat: Number(row.lat)
	};
}

/** Issues inside a bounding box the scope may read, newest first, at most `limit`. */
export async function list(knex: Knex, scope: Scope, bbox: Bbox, limit = MAX_LIST): Promise<{ total: number; items: IssueRecord[] }> {
	const filter = scopeFilter(scope, 'i.geom', 'point');
	const where = `i.geom && ST_MakeEnvelope(:w, :s, :e, :n, 4326) AND ${filter.sql}`;
	const bindings = { w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3], limit, ...filter.bindings };
	const [total, rows] = await Promise.all([
		knex.raw(`SELECT count(*)::int AS n FROM issues i WHERE ${where}`, bindings),
		knex.raw(`SELECT ${COLUMNS} FROM issues i WHERE ${where} ORDER BY i.reported_at DESC, i.code DESC LIMIT :limit`, bindings)
	]);
	return { total: total.rows[0].n, items: rows.rows.map(normalise) };
}

/** One issue by code, or null when it does not exist or lies outside the scope. */
export async function read(knex: Knex, scope: Scope, code: string): Promise<IssueRecord | null> {
	const filter = scopeFilter(scope, 'i.geom', 'point');
	const { rows } = await knex.raw(`SELECT ${COLUMNS} FROM issues i WHERE i.code = :code AND ${filter.sql}`, { code, ...filter.bindings });
	return rows[0] ? normalise(rows[0]) : null;
}

const CSV_FIELDS: (keyof IssueRecord)[] = ['code', 'title', 'category', 'matter_type', 'urgency', 'status', 'source', 'reported_at', 'due_at', 'overdue', 'resolved_on_site', 'building_code', 'lng', 'lat'];

/** The same rows as `list`, as CSV with a BOM so spreadsheet software reads the Chinese right. */
export async function exportCsv(knex: Knex, scope: Scope, bbox: Bbox): Promise<string> {
	const { items } = await list(knex, scope, bbox, 100_000);
	return csvDocument(CSV_FIELDS, items);
}

// ---------------------------------------------------------------- endpoints

/** GET /api/issues?bbox=w,s,e,n[&limit=]: the issues in a bounding box the caller may read. */
export async function getList(call: Call): Promise<Reply> {
	const bbox = queryBbox(call.query);
	const limit = queryInt(call.query, 'limit', 200, 1, MAX_LIST);
	return json(await list(call.db.knex, call.scope, bbox, limit));
}

/** GET /api/issues/{code}: one issue; outside the caller's territory it does not exist for them (404). */
export async function getIssue(call: Call): Promise<Reply> {
	const code = pathCode(call.params, 'code');
	const issue = await read(call.db.knex, call.scope, code);
	if (!issue) fail(404, `no issue with code '${code}'`);
	return json(issue);
}

/** GET /api/issues.csv?bbox=: the same rows as a CSV download (UTF-8 with BOM). */
export async function getCsv(call: Call): Promise<Reply> {
	const csv = await exportCsv(call.db.knex, call.scope, queryBbox(call.query));
	return { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="issues.csv"' }, body: csv };
}
