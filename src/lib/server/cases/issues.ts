/**
 * Issues as records: a list by bounding box, one record by code — each filtered by the
 * caller's scope (territory.ts). http/issues.ts serves them, and the list as CSV.
 */
import type { Knex } from 'knex';
import { overdueSql } from '../../domain/issues.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';

export const MAX_LIST = 1000;

/** west, south, east, north in WGS84 degrees */
type Bbox = [number, number, number, number];

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
