/**
 * 走访 visits (issue 13): a grid worker, building head or community admin records a visit to a
 * building (or one household of it) in their territory — when they were there, what they found
 * (正常 normal, 需关注 attention, 已上报问题 reported, with the case reported about it), a note,
 * photos and where the phone was. A phone that worked without a signal sends its visits later,
 * each with its idempotency key, so a resend counts once. Visits make the monthly coverage
 * per grid: the share of a grid's buildings visited at least once in a month (China time),
 * served as a list here and as the choropleth metric `visit_coverage` (choropleth.ts).
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { chinaDay } from '../../domain/work-calendar.js';
import { audit } from '../platform/audit.js';

export const SITUATIONS = ['normal', 'attention', 'reported'] as const;
export type Situation = (typeof SITUATIONS)[number];
export const MAX_VISIT_PHOTOS = 6;
/** How old a visit sent from an offline phone may be: a month of working without a signal, and a day to spare. */
export const OFFLINE_DAYS = 31;
export const COVERAGE_LEVELS = ['grid', 'community'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];

export interface VisitInput {
	building_code: string;
	visited_at: Date;
	situation: Situation;
	household?: string;
	note?: string;
	issue_code?: string;
	position: [number, number] | null;
	photos: string[];
	idempotency_key?: string;
}

export interface Visit {
	code: string;
	building_code: string;
	household: string | null;
	visited_at: string;
	recorded_at: string;
	situation: Situation;
	note: string | null;
	issue_code: string | null;
	lng: number | null;
	lat: number | null;
	grid_code: string | null;
	visitor: string | null;
	/** ids of its photos: GET /api/visits/{code}/photos/{id} */
	photos: number[];
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** The month YYYY-MM of now, China time. */
export function currentMonth(now = new Date()): string {
	return chinaDay(now).slice(0, 7);
}

/** The instants a China-time month runs between: [its first midnight, the next month's). China keeps no daylight saving. */
export function monthBounds(month: string): { from: Date; to: Date } {
	const [y, m] = month.split('-').map(Number);
	const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
	return { from: new Date(`${month}-01T00:00:00+08:00`), to: new Date(`${next}-01T00:00:00+08:00`) };
}

/** A visit as the API gives it; `where` over `v` (code only, never input). */
const VISIT_SQL = (where: string) => `SELECT v.code, b.code AS building_code, v.household, v.visited_at, v.recorded_at, v.situation, v.note,
		i.code AS issue_code, ST_X(v.position) AS lng, ST_Y(v.position) AS lat, g.code AS grid_code, u.username AS visitor,
		COALESCE((SELECT json_agg(p.id ORDER BY p.id) FROM case_photos p WHERE p.visit_id = v.id), '[]'::json) AS photos
	FROM visits v JOIN buildings b ON b.id = v.building_id
	LEFT JOIN issues i ON i.id = v.issue_id LEFT JOIN grids g ON g.id = v.grid_id LEFT JOIN users u ON u.id = v.visitor_user_id
	WHERE ${where}`;

function visitOf(r: Record<string, unknown>): Visit {
	return {
		...(r as unknown as Visit),
		visited_at: iso(r.visited_at)!,
		recorded_at: iso(r.recorded_at)!,
		lng: r.lng == null ? null : Number(r.lng),
		lat: r.lat == null ? null : Number(r.lat),
		photos: (r.photos as (number | string)[]).map(Number)
	};
}

async function visitById(knex: Knex, id: number): Promise<Visit> {
	const { rows } = await knex.raw(VISIT_SQL('v.id = :id'), { id });
	return visitOf(rows[0]);
}

/**
 * Records a visit: the building in the caller's territory (404 unknown, 403 outside), the case
 * named by issue_code one the caller may read, then the visit, its photos and an audit row in
 * one transaction. The same idempotency key again answers the first visit (`repeated`), from
 * another user a 409.
 */
export async function create(knex: Knex, user: User, scope: Scope, input: VisitInput): Promise<{ visit: Visit; repeated: boolean }> {
	if (input.idempotency_key) {
		const seen = await knex('visits').where({ idempotency_key: input.idempotency_key }).first('id', 'visitor_user_id');
		if (seen) {
			if (seen.visitor_user_id !== user.id) fail(409, 'idempotency_key was already used by another user');
			return { visit: await visitById(knex, seen.id), repeated: true };
		}
	}
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const { rows: buildings } = await knex.raw(`SELECT b.id, b.grid_id, ${inScope.sql} AS mine FROM buildings b WHERE b.code = :code`, {
		...inScope.bindings,
		code: input.building_code
	});
	const building = buildings[0];
	if (!building) fail(404, `no building with code '${input.building_code}'`);
	if (!building.mine) fail(403, `building '${input.building_code}' lies outside your territory`);
	let issueId: number | null = null;
	if (input.issue_code) {
		const issueScope = scopeFilter(scope, 'i.geom', 'point');
		const { rows } = await knex.raw(`SELECT i.id FROM issues i WHERE i.code = :code AND ${issueScope.sql}`, { ...issueScope.bindings, code: input.issue_code });
		if (!rows[0]) fail(400, `issue_code '${input.issue_code}' names no case in your territory`);
		issueId = rows[0].id;
	}
	try {
		const id = await knex.transaction(async (trx) => {
			const [row] = (
				await trx.raw(
					`INSERT INTO visits (building_id, household, visited_at, situation, note, issue_id, visitor_user_id, grid_id, idempotency_key, position)
					 VALUES (:building, :household, :visited_at, :situation, :note, :issue, :user, :grid, :key,
						CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) END)
					 RETURNING id, code`,
					{
						building: building.id,
						household: input.household ?? null,
						visited_at: input.visited_at,
						situation: input.situation,
						note: input.note ?? null,
						issue: issueId,
						user: user.id,
						grid: building.grid_id,
						key: input.idempotency_key ?? null,
						lng: input.position?.[0] ?? null,
						lat: input.position?.[1] ?? null
					}
				)
			).rows;
			for (const [i, token] of input.photos.entries()) {
				const { rowCount } = await trx.raw(
					`UPDATE case_photos SET visit_id = :visit WHERE token = :token AND issue_id IS NULL AND visit_id IS NULL AND uploaded_by = :user`,
					{ visit: row.id, token, user: user.id }
				);
				if (rowCount === 0) fail(400, `photos[${i}] is not a photo you uploaded and have not used yet`);
			}
			await audit(trx, user, 'record_visit', `visit:${row.code}`, { building: input.building_code, situation: input.situation, visited_at: input.visited_at.toISOString(), issue: input.issue_code ?? null, photos: input.photos.length });
			return Number(row.id);
		});
		return { visit: await visitById(knex, id), repeated: false };
	} catch (error) {
		// Two sends of one visit racing: the loser finds the winner's row.
		if ((error as { code?: string }).code === '23505' && input.idempotency_key) return create(knex, user, scope, input);
		throw error;
	}
}

/** Visits the caller may read (their buildings', by anchor), newest first; a building or month narrows them. */
export async function list(knex: Knex, scope: Scope, filter: { building?: string; month?: string; limit: number }): Promise<Visit[]> {
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const bounds = filter.month ? monthBounds(filter.month) : null;
	const { rows } = await knex.raw(
		`${VISIT_SQL(`${inScope.sql}
			AND (CAST(:building AS text) IS NULL OR b.code = :building)
			AND (CAST(:from AS timestamptz) IS NULL OR (v.visited_at >= :from AND v.visited_at < :to))`)}
		 ORDER BY v.visited_at DESC, v.id DESC LIMIT :limit`,
		{ ...inScope.bindings, building: filter.building ?? null, from: bounds?.from ?? null, to: bounds?.to ?? null, limit: filter.limit }
	);
	return rows.map(visitOf);
}

export interface AreaCoverage {
	code: string;
	name: string;
	/** the area's buildings today (the caller's, in a territory) */
	buildings: number;
	/** of those, visited at least once in the month */
	visited: number;
	/** visited / buildings; null for an area without buildings */
	share: number | null;
}

/**
 * Coverage per area for a month: of the buildings an area holds today (by their derived grid)
 * that the caller may read, how many someone visited at least once between the month's first
 * midnight and the next month's, China time. The areas are those reaching into the caller's
 * territory, as the choropleth's are.
 */
const COVERAGE_SQL: Record<CoverageLevel, (area: string, building: string) => string> = {
	grid: (area, building) => `SELECT a.code, a.name, h.buildings, h.visited
		FROM grids a
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS buildings,
				(count(*) FILTER (WHERE EXISTS (SELECT 1 FROM visits v WHERE v.building_id = b.id AND v.visited_at >= :from AND v.visited_at < :to)))::int AS visited
			FROM buildings b WHERE b.grid_id = a.id AND ${building}
		) h
		WHERE ${area}
		ORDER BY a.code`,
	community: (area, building) => `SELECT a.code, a.name, h.buildings, h.visited
		FROM communities a
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS buildings,
				(count(*) FILTER (WHERE EXISTS (SELECT 1 FROM visits v WHERE v.building_id = b.id AND v.visited_at >= :from AND v.visited_at < :to)))::int AS visited
			FROM buildings b JOIN grids g ON g.id = b.grid_id WHERE g.community_id = a.id AND ${building}
		) h
		WHERE ${area}
		ORDER BY a.code`
};

export async function coverage(knex: Knex, scope: Scope, level: CoverageLevel, month: string): Promise<AreaCoverage[]> {
	const area = scopeFilter(scope, 'a.geom', 'area');
	const building = scopeFilter(scope, 'b.anchor', 'point');
	const { from, to } = monthBounds(month);
	const { rows } = await knex.raw(COVERAGE_SQL[level](area.sql, building.sql), { ...area.bindings, ...building.bindings, from, to });
	return rows.map((r: AreaCoverage) => ({ ...r, share: r.buildings > 0 ? Math.round((r.visited / r.buildings) * 10_000) / 10_000 : null }));
}

/** Whether a building of this code lies in the caller's scope (by its anchor). */
export async function readsBuilding(knex: Knex, scope: Scope, code: string): Promise<boolean> {
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const { rows } = await knex.raw(`SELECT 1 FROM buildings b WHERE b.code = :code AND ${inScope.sql}`, { ...inScope.bindings, code });
	return Boolean(rows[0]);
}

/** A photo of a visit the caller may read (its building in their scope), full size or its thumbnail; null when there is none. */
export async function photo(knex: Knex, scope: Scope, code: string, id: number, thumb: boolean): Promise<{ bytes: Uint8Array; mime: string } | null> {
	const inScope = scopeFilter(scope, 'b.anchor', 'point');
	const { rows } = await knex.raw(
		`SELECT ${thumb ? 'p.thumb' : 'p.bytes'} AS bytes, p.mime FROM case_photos p JOIN visits v ON v.id = p.visit_id JOIN buildings b ON b.id = v.building_id
		 WHERE p.id = :id AND v.code = :code AND ${inScope.sql}`,
		{ ...inScope.bindings, id, code }
	);
	return rows[0] ? { bytes: new Uint8Array(rows[0].bytes), mime: rows[0].mime } : null;
}
