/**
 * 双报到 (issue 14, part 4): in-service party members (在职党员) of county departments and other
 * units register to their home community (报到), claim its service items — taken from the
 * demand list or posted by the community — and record the hours given (双服务), which the
 * figures per member, per building and per department report (双报告).
 *
 * Who reads: any signed-in caller, within their territory. A member is read where their home
 * community shares more than a boundary with the territory; a department account also reads
 * its own department's members wherever they live. An item is read where its community does;
 * a claim with its item, and a department account also reads its own members' claims (and the
 * items they claimed). Unclaimed demands are open demands at points in the territory (as the
 * demand list) that no project took up and no member claimed.
 *
 * Who writes: admins anywhere; a community's admins for their community (members, items,
 * claims); a department account registers its own department's members, in any community, and
 * claims and records for them. A member serves where they live: a claim is on an item of the
 * member's home community. Every write is one transaction with an audit row; bad input is a
 * 400 naming the field with nothing written, a role or territory refusal a 403, an id the
 * caller may not read a 404.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { may, reachOf } from '../accounts/permissions.js';
import { ADMINISTERED_COMMUNITIES, administers, scopeFilter, type Scope } from '../ownership/territory.js';
import { communityByCode } from './service-lists.js';
import { audit } from '../platform/audit.js';
import type { ServiceCategory } from '../../domain/service-lists.js';
import { chinaDay } from '../../domain/work-calendar.js';
import {
	HOURS_MAX, SLOTS_MAX,
	type BuildingFigures, type ClaimRow, type DepartmentFigures, type ItemRow, type MemberFigures, type Summary, type UnclaimedDemand
} from '../../domain/dual-reporting.js';

export { HOURS_MAX, SLOTS_MAX };
export const BODY_LIMIT = 16 * 1024;
export const NAME_MAX = 100;
export const TITLE_MAX = 200;
export const TEXT_MAX = 2000;
/** The earliest registered_on taken (双报到 began long after). */
export const REGISTERED_MIN = '2000-01-01';
/** The most rows a list returns. */
export const LIST_LIMIT = 500;

/** The department whose members a department account also reads (-1: none). */
const ownDepartment = (user: User) => (user.role === 'department' ? (user.department_id ?? -1) : -1);

/**
 * Where a member lives, for the territory test: their home building's anchor, else (no
 * building recorded) their home community as a whole. `m` the member, `c` its community.
 */
function homeFilter(scope: Scope, m: string, c: string) {
	const building = scopeFilter(scope, `(SELECT hb.anchor FROM buildings hb WHERE hb.id = ${m}.building_id)`, 'point');
	const community = scopeFilter(scope, `${c}.geom`, 'within');
	return { sql: `(CASE WHEN ${m}.building_id IS NOT NULL THEN ${building.sql} ELSE ${community.sql} END)`, bindings: { ...building.bindings, ...community.bindings } };
}

/**
 * The readable members (m, home community c), readable claims (sc, item i, item community ic,
 * claimant cm, claimant's community cc) and readable items: the one place these rules are
 * written. A member is a personal record (name, employer, home): readable where they live in
 * the caller's territory (issue 20, point 10 — a grid worker reads the members of their grids,
 * not of the whole community), or by their own department. A claim names its member: readable
 * where the item's community lies wholly in the territory (the community's admins, its liaison
 * departments), else as its member is. Items are the community's postings: readable wherever
 * the community reaches into the territory.
 */
function readable(scope: Scope) {
	const home = homeFilter(scope, 'm', 'c');
	const claimant = homeFilter(scope, 'cm', 'cc');
	const itemCommunity = scopeFilter(scope, 'ic.geom', 'within');
	const itemArea = scopeFilter(scope, 'ic.geom', 'area');
	return {
		member: `(${home.sql} OR m.department_id = :own)`,
		claim: `(${itemCommunity.sql} OR cm.department_id = :own OR EXISTS (SELECT 1 FROM communities cc WHERE cc.id = cm.community_id AND ${claimant.sql}))`,
		item: itemArea.sql,
		bindings: { ...home.bindings, ...claimant.bindings, ...itemCommunity.bindings, ...itemArea.bindings }
	};
}

// ---------------------------------------------------------------- reading

export interface Period {
	/** first China day counted (done_on, the China day of claimed_at), inclusive */
	from?: string;
	/** last China day counted, inclusive */
	to?: string;
}

/** The day after a calendar day YYYY-MM-DD. */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The bindings of CLAIMS_CTE: the period's days, and its instants for claimed_at (China days, UTC+8, the end exclusive). */
const periodBindings = (period: Period) => ({
	from: period.from ?? null,
	to: period.to ?? null,
	from_at: period.from ? `${period.from}T00:00:00+08:00` : null,
	until_at: period.to ? `${dayAfter(period.to)}T00:00:00+08:00` : null
});

/** Readable claims with `counted`: done within the period, and `claimed`: claimed within the period. */
const CLAIMS_CTE = (claim: string) => `vc AS (
	SELECT sc.id, sc.item_id, sc.member_id, sc.hours, sc.people_served,
		(sc.done_on IS NOT NULL AND (CAST(:from AS date) IS NULL OR sc.done_on >= CAST(:from AS date)) AND (CAST(:to AS date) IS NULL OR sc.done_on <= CAST(:to AS date))) AS counted,
		((CAST(:from_at AS timestamptz) IS NULL OR sc.claimed_at >= CAST(:from_at AS timestamptz)) AND (CAST(:until_at AS timestamptz) IS NULL OR sc.claimed_at < CAST(:until_at AS timestamptz))) AS claimed
	FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN communities ic ON ic.id = i.community_id JOIN party_members cm ON cm.id = sc.member_id
	WHERE ${claim})`;

/** Per member: items claimed, items done, hours and residents served (each within the period). */
export async function memberFigures(knex: Knex, user: User, scope: Scope, period: Period = {}): Promise<MemberFigures[]> {
	const u = user;
	const r = readable(scope);
	const { rows } = await knex.raw(
		`WITH ${CLAIMS_CTE(r.claim)}
		 SELECT m.id, m.name, d.code AS department_code, d.name AS department_name, m.unit_name, c.code AS community_code, c.name AS community_name,
			m.building_id, b.code AS building_code, b.name AS building_name,
			to_char(m.registered_on, 'YYYY-MM-DD') AS registered_on, to_char(m.left_on, 'YYYY-MM-DD') AS left_on,
			(count(vc.id) FILTER (WHERE vc.claimed))::int AS items_claimed, (count(vc.id) FILTER (WHERE vc.counted))::int AS items_done,
			COALESCE(sum(vc.hours) FILTER (WHERE vc.counted), 0)::float8 AS hours, COALESCE(sum(vc.people_served) FILTER (WHERE vc.counted), 0)::int AS people_served
		 FROM party_members m JOIN communities c ON c.id = m.community_id LEFT JOIN departments d ON d.id = m.department_id
			LEFT JOIN buildings b ON b.id = m.building_id LEFT JOIN vc ON vc.member_id = m.id
		 WHERE ${r.member}
		 GROUP BY m.id, d.code, d.name, c.code, c.name, b.code, b.name
		 ORDER BY (m.left_on IS NOT NULL), c.code, m.name, m.id`,
		{ ...r.bindings, own: ownDepartment(u), ...periodBindings(period) }
	);
	return rows;
}

/** Per building of the readable members: members living there now, items done and hours (within the period). */
export async function buildingFigures(knex: Knex, user: User, scope: Scope, period: Period = {}): Promise<BuildingFigures[]> {
	const u = user;
	const r = readable(scope);
	const { rows } = await knex.raw(
		`WITH ${CLAIMS_CTE(r.claim)}
		 SELECT b.id AS building_id, b.code AS building_code, b.name AS building_name, c.name AS community_name,
			(count(DISTINCT m.id) FILTER (WHERE m.left_on IS NULL))::int AS members,
			(count(vc.id) FILTER (WHERE vc.counted))::int AS items_done, COALESCE(sum(vc.hours) FILTER (WHERE vc.counted), 0)::float8 AS hours
		 FROM party_members m JOIN communities c ON c.id = m.community_id JOIN buildings b ON b.id = m.building_id LEFT JOIN vc ON vc.member_id = m.id
		 WHERE ${r.member}
		 GROUP BY b.id, b.code, b.name, c.name
		 ORDER BY hours DESC, b.code`,
		{ ...r.bindings, own: ownDepartment(u), ...periodBindings(period) }
	);
	return rows;
}

/** Per employer of the readable members (a county department, else the unit named): members now, items claimed, done and hours (within the period). */
export async function departmentFigures(knex: Knex, user: User, scope: Scope, period: Period = {}): Promise<DepartmentFigures[]> {
	const u = user;
	const r = readable(scope);
	const { rows } = await knex.raw(
		`WITH ${CLAIMS_CTE(r.claim)}
		 SELECT d.code AS department_code, d.name AS department_name, CASE WHEN d.id IS NULL THEN m.unit_name END AS unit_name,
			(count(DISTINCT m.id) FILTER (WHERE m.left_on IS NULL))::int AS members,
			(count(vc.id) FILTER (WHERE vc.claimed))::int AS items_claimed, (count(vc.id) FILTER (WHERE vc.counted))::int AS items_done,
			COALESCE(sum(vc.hours) FILTER (WHERE vc.counted), 0)::float8 AS hours
		 FROM party_members m JOIN communities c ON c.id = m.community_id LEFT JOIN departments d ON d.id = m.department_id LEFT JOIN vc ON vc.member_id = m.id
		 WHERE ${r.member}
		 GROUP BY d.id, d.code, d.name, CASE WHEN d.id IS NULL THEN m.unit_name END
		 ORDER BY hours DESC, d.code NULLS LAST, unit_name`,
		{ ...r.bindings, own: ownDepartment(u), ...periodBindings(period) }
	);
	return rows;
}

/** Open demands at points in the territory that no project took up and no member claimed (an item posted for one, unclaimed, is named). */
export async function unclaimedDemands(knex: Knex, user: User, scope: Scope): Promise<UnclaimedDemand[]> {
	const point = scopeFilter(scope, 'd.geom', 'point');
	const { rows } = await knex.raw(
		`SELECT d.id, d.category, d.title, c.code AS community_code, c.name AS community_name, ST_X(d.geom) AS lng, ST_Y(d.geom) AS lat, d.created_at, i.id AS item_id
		 FROM demands d JOIN communities c ON c.id = d.community_id LEFT JOIN service_items i ON i.demand_id = d.id
		 WHERE ${point.sql} AND d.status = 'open'
			AND NOT EXISTS (SELECT 1 FROM service_projects p WHERE p.demand_id = d.id)
			AND NOT EXISTS (SELECT 1 FROM service_claims sc WHERE sc.item_id = i.id)
		 ORDER BY d.created_at, d.id LIMIT ${LIST_LIMIT}`,
		point.bindings
	);
	return rows.map((r: UnclaimedDemand) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat), created_at: new Date(r.created_at).toISOString() }));
}

/**
 * The service items the caller may read, newest first, each with its readable claims: items of
 * communities in the territory, and for a department account also the items its members claimed.
 * `claims_count` counts every claim of the item (the slots taken, whoever may read them), and
 * `demand_taken` says its demand is no longer open (a service project took it up: no more
 * claims). Unclaimed: no claim yet and still claimable.
 */
export async function listItems(knex: Knex, user: User, scope: Scope, filter: { unclaimed?: boolean } = {}): Promise<ItemRow[]> {
	const u = user;
	const r = readable(scope);
	const { rows } = await knex.raw(
		`SELECT i.id, ic.code AS community_code, ic.name AS community_name, i.demand_id, i.category, i.title, i.description,
			ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, i.slots, i.posted_by, i.posted_at,
			COALESCE((SELECT json_agg(json_build_object('id', sc.id, 'member_id', cm.id, 'member_name', cm.name, 'claimed_at', sc.claimed_at,
					'done_on', to_char(sc.done_on, 'YYYY-MM-DD'), 'hours', sc.hours::float8, 'people_served', sc.people_served, 'note', sc.note) ORDER BY sc.id)
				FROM service_claims sc JOIN party_members cm ON cm.id = sc.member_id WHERE sc.item_id = i.id AND ${r.claim}), '[]'::json) AS claims,
			(SELECT count(*) FROM service_claims sc WHERE sc.item_id = i.id)::int AS claims_count,
			(i.demand_id IS NOT NULL AND d.status <> 'open') AS demand_taken
		 FROM service_items i JOIN communities ic ON ic.id = i.community_id LEFT JOIN demands d ON d.id = i.demand_id
		 WHERE (${r.item} OR EXISTS (SELECT 1 FROM service_claims sc JOIN party_members cm ON cm.id = sc.member_id WHERE sc.item_id = i.id AND cm.department_id = :own))
			AND (NOT CAST(:unclaimed AS boolean) OR (NOT EXISTS (SELECT 1 FROM service_claims sc WHERE sc.item_id = i.id) AND (i.demand_id IS NULL OR d.status = 'open')))
		 ORDER BY i.posted_at DESC, i.id DESC LIMIT ${LIST_LIMIT}`,
		{ ...r.bindings, own: ownDepartment(u), unclaimed: filter.unclaimed ?? false }
	);
	return rows.map((row: ItemRow) => ({
		...row,
		lng: row.lng === null ? null : Number(row.lng),
		lat: row.lat === null ? null : Number(row.lat),
		posted_at: new Date(row.posted_at).toISOString(),
		claims: (row.claims as ClaimRow[]).map((c) => ({ ...c, claimed_at: new Date(c.claimed_at).toISOString() }))
	}));
}

/** The figures of /api/dual-reporting: totals, per member, per building, per department, unclaimed demands and items. */
export async function summary(knex: Knex, user: User, scope: Scope, period: Period = {}): Promise<Summary> {
	const [members, buildings, departments, unclaimed_demands, unclaimed_items] = await Promise.all([
		memberFigures(knex, user, scope, period),
		buildingFigures(knex, user, scope, period),
		departmentFigures(knex, user, scope, period),
		unclaimedDemands(knex, user, scope),
		listItems(knex, user, scope, { unclaimed: true })
	]);
	const totals = {
		members: members.filter((m) => m.left_on === null).length,
		items_claimed: members.reduce((s, m) => s + m.items_claimed, 0),
		items_done: members.reduce((s, m) => s + m.items_done, 0),
		hours: Math.round(members.reduce((s, m) => s + m.hours, 0) * 10) / 10,
		people_served: members.reduce((s, m) => s + m.people_served, 0)
	};
	return { from: period.from ?? null, to: period.to ?? null, totals, members, buildings, departments, unclaimed_demands, unclaimed_items };
}

// ---------------------------------------------------------------- writing

export interface MemberInput {
	name: string;
	community_code: string;
	department_code?: string;
	unit_name?: string;
	building_code?: string;
	registered_on?: string;
}

/** Registers a member (报到) to their home community. */
export async function createMember(knex: Knex, user: User, input: MemberInput): Promise<number> {
	if (!may(user, 'party-member.register')) fail(403, `a ${user.role} account may not register party members`);
	return knex.transaction(async (trx) => {
		const community = await communityByCode(trx, input.community_code);
		// Who may register here is settled before the other fields are looked up, so a refusal never depends on them.
		if (user.role !== 'department' && !(await administers(trx, user, community.id))) fail(403, `a ${user.role} account may not register members in community '${community.code}'`);
		let departmentId: number | null = null;
		if (input.department_code) {
			const d = await trx('departments').where({ code: input.department_code }).first('id');
			if (!d) fail(400, `department_code '${input.department_code.slice(0, 60)}' is not a known department`);
			departmentId = d.id;
		}
		if (user.role === 'department') {
			if (user.department_id == null) fail(403, 'this department account has no department');
			if (departmentId !== null && departmentId !== user.department_id) fail(403, "a department account registers its own department's members only");
			departmentId = user.department_id;
		}
		let buildingId: number | null = null;
		if (input.building_code) {
			const { rows } = await trx.raw(
				`SELECT b.id, ST_Covers(c.geom, b.anchor) AS inside FROM buildings b, communities c WHERE b.code = :code AND c.id = :community`,
				{ code: input.building_code, community: community.id }
			);
			if (!rows[0]) fail(400, `building_code '${input.building_code.slice(0, 60)}' is not a known building`);
			if (!rows[0].inside) fail(400, `building_code '${input.building_code.slice(0, 60)}' does not lie in community '${community.code}'`);
			buildingId = rows[0].id;
		}
		if (departmentId === null && !input.unit_name) fail(400, 'unit_name is required when no department_code names the employer');
		if (input.registered_on && input.registered_on > chinaDay()) fail(400, `registered_on ${input.registered_on} is in the future`);
		if (input.registered_on && input.registered_on < REGISTERED_MIN) fail(400, `registered_on ${input.registered_on} is before ${REGISTERED_MIN}`);
		const [row] = await trx('party_members')
			.insert({
				name: input.name, department_id: departmentId, unit_name: departmentId === null ? input.unit_name : (input.unit_name ?? null), community_id: community.id,
				building_id: buildingId, registered_on: input.registered_on ?? chinaDay(), created_by: user.username
			})
			.returning('id');
		const id = Number(row.id);
		await audit(trx, user, 'register_party_member', `party_member:${id}`, { community: community.code, department_id: departmentId, building_id: buildingId });
		return id;
	});
}

/** A member the caller may read, locked for the transaction, or undefined. */
async function readableMember(trx: Knex, user: User, scope: Scope, id: number) {
	const home = homeFilter(scope, 'm', 'c');
	const { rows } = await trx.raw(
		`SELECT m.id, m.community_id, m.department_id, to_char(m.registered_on, 'YYYY-MM-DD') AS registered_on, to_char(m.left_on, 'YYYY-MM-DD') AS left_on
		 FROM party_members m JOIN communities c ON c.id = m.community_id
		 WHERE m.id = :id AND (${home.sql} OR m.department_id = :own) FOR UPDATE OF m`,
		{ ...home.bindings, id, own: ownDepartment(user) }
	);
	return rows[0] as { id: number; community_id: number; department_id: number | null; registered_on: string; left_on: string | null } | undefined;
}

/** Whether the caller acts for this member: admin, the home community's admins, their own department's account. */
async function actsFor(trx: Knex, user: User, member: { community_id: number; department_id: number | null }): Promise<boolean> {
	if (user.role === 'department') return user.department_id != null && member.department_id === user.department_id;
	return administers(trx, user, member.community_id);
}

/** A member leaves (left_on, not before their latest service done): no more claims; their record and hours stay. */
export async function leaveMember(knex: Knex, user: User, scope: Scope, id: number, leftOn: string): Promise<void> {
	if (!may(user, 'party-member.change')) fail(403, `a ${user.role} account may not change party members`);
	await knex.transaction(async (trx) => {
		const m = await readableMember(trx, user, scope, id);
		if (!m) fail(404, `no party member ${id}`);
		if (!(await actsFor(trx, user, m))) fail(403, `a ${user.role} account may not change party member ${id}`);
		if (m.left_on !== null) fail(409, `party member ${id} left on ${m.left_on}`);
		if (leftOn < m.registered_on) fail(400, `left_on ${leftOn} is before registered_on ${m.registered_on}`);
		if (leftOn > chinaDay()) fail(400, `left_on ${leftOn} is in the future`);
		const [{ last }] = (await trx.raw(`SELECT to_char(max(done_on), 'YYYY-MM-DD') AS last FROM service_claims WHERE member_id = :id`, { id })).rows;
		if (last !== null && leftOn < last) fail(409, `left_on ${leftOn} is before the member's latest service done (done_on ${last})`);
		await trx('party_members').where({ id }).update({ left_on: leftOn });
		await audit(trx, user, 'party_member_left', `party_member:${id}`, { left_on: leftOn });
	});
}

export interface ItemInput {
	demand_id?: number;
	community_code?: string;
	category?: ServiceCategory;
	title?: string;
	description?: string;
	point?: [number, number];
	slots: number;
}

/** Posts a service item: from a demand (its community, category, title and point) or free. */
export async function createItem(knex: Knex, user: User, scope: Scope, input: ItemInput): Promise<number> {
	if (!may(user, 'service-item.post')) fail(403, `a ${user.role} account may not post service items`);
	return knex.transaction(async (trx) => {
		let communityId: number;
		let category = input.category;
		let title = input.title;
		let fromDemand = false;
		if (input.demand_id !== undefined) {
			const point = scopeFilter(scope, 'd.geom', 'point');
			const { rows } = await trx.raw(`SELECT d.id, d.community_id, d.category, d.title, d.status FROM demands d WHERE d.id = :id AND ${point.sql} FOR UPDATE OF d`, { ...point.bindings, id: input.demand_id });
			const demand = rows[0];
			if (!demand) fail(400, `demand_id ${input.demand_id} is not a demand you may read`);
			if (input.community_code) {
				const c = await communityByCode(trx, input.community_code);
				if (c.id !== demand.community_id) fail(400, `community_code '${input.community_code.slice(0, 60)}' is not demand_id ${demand.id}'s community`);
			}
			if (category && category !== demand.category) fail(400, `category '${category}' differs from demand_id ${demand.id}'s '${demand.category}'`);
			if (input.point) fail(400, `lng, lat: an item from demand_id ${demand.id} takes the demand's point`);
			if (!(await administers(trx, user, demand.community_id))) fail(403, `a ${user.role} account may not post items in that community`);
			if (demand.status !== 'open') fail(409, `demand ${demand.id} is already ${demand.status}`);
			if (await trx('service_items').where({ demand_id: demand.id }).first('id')) fail(409, `demand ${demand.id} already has a service item`);
			communityId = demand.community_id;
			category = demand.category;
			title = title ?? demand.title;
			fromDemand = true;
		} else {
			if (!input.community_code) fail(400, 'community_code is required when no demand_id is given');
			if (!category) fail(400, 'category is required when no demand_id is given');
			if (!title) fail(400, 'title is required when no demand_id is given');
			communityId = (await communityByCode(trx, input.community_code)).id;
			if (input.point) {
				const { rows } = await trx.raw(`SELECT community_covers(:id, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) AS inside`, { id: communityId, lng: input.point[0], lat: input.point[1] });
				if (!rows[0]?.inside) fail(400, `lng, lat: the point [${input.point.join(', ')}] lies outside community '${input.community_code.slice(0, 60)}'`);
			}
			if (!(await administers(trx, user, communityId))) fail(403, `a ${user.role} account may not post items in community '${input.community_code.slice(0, 60)}'`);
		}
		const { rows } = await trx.raw(
			`INSERT INTO service_items (community_id, demand_id, category, title, description, slots, posted_by, geom)
			 VALUES (:community, :demand, :category, :title, :description, :slots, :by,
				CASE WHEN CAST(:demand AS int) IS NOT NULL THEN (SELECT d.geom FROM demands d WHERE d.id = :demand)
					WHEN CAST(:lng AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) END) RETURNING id`,
			{
				community: communityId, demand: input.demand_id ?? null, category, title, description: input.description ?? null, slots: input.slots, by: user.username,
				lng: input.point?.[0] ?? null, lat: input.point?.[1] ?? null
			}
		);
		const id = Number(rows[0].id);
		await audit(trx, user, 'post_service_item', `service_item:${id}`, { demand: input.demand_id ?? null, community_id: communityId, from_demand: fromDemand, slots: input.slots });
		return id;
	});
}

/**
 * A member claims an item (认领): the caller acts for the member, the item is of the member's
 * home community, the member has not left, has not claimed it yet, the item's demand (if any)
 * is still open — no service project took it up — and a slot is free (the item's row is locked,
 * so two claims at once cannot both take the last slot).
 */
export async function claim(knex: Knex, user: User, scope: Scope, itemId: number, memberId: number): Promise<number> {
	if (!may(user, 'service-item.claim')) fail(403, `a ${user.role} account may not claim service items`);
	return knex.transaction(async (trx) => {
		const { rows } = await trx.raw(
			`SELECT i.id, i.community_id, i.demand_id, i.slots, ic.code AS community_code, ${readable(scope).item} AS in_territory
			 FROM service_items i JOIN communities ic ON ic.id = i.community_id WHERE i.id = :id FOR UPDATE OF i`,
			{ ...readable(scope).bindings, id: itemId }
		);
		const item = rows[0] as { id: number; community_id: number; demand_id: number | null; slots: number; community_code: string; in_territory: boolean } | undefined;
		const member = await readableMember(trx, user, scope, memberId);
		// A department account may claim, for its own members, items of their home community outside its territory.
		const mayActOutside = user.role === 'department' && member && member.department_id === user.department_id && item?.community_id === member.community_id;
		if (!item || (!item.in_territory && !mayActOutside)) fail(404, `no service item ${itemId}`);
		if (!member) fail(400, `member_id ${memberId} is not a party member you may read`);
		if (!(await actsFor(trx, user, member)) || (user.role === 'community_admin' && !(await administers(trx, user, item.community_id)))) {
			fail(403, `a ${user.role} account may not claim for member ${memberId}`);
		}
		if (member.community_id !== item.community_id) fail(409, `member ${memberId} is registered to another community: 双报到 members claim items of their home community`);
		if (member.left_on !== null) fail(409, `member ${memberId} left on ${member.left_on}`);
		if (await trx('service_claims').where({ item_id: item.id, member_id: memberId }).first('id')) fail(409, `member ${memberId} has already claimed item ${item.id}`);
		if (item.demand_id !== null) {
			// Shares the lock createProject takes on the demand: a project and a claim never both go ahead on it.
			const demand = await trx('demands').where({ id: item.demand_id }).forShare().first('status');
			if (demand && demand.status !== 'open') fail(409, `demand ${item.demand_id} is taken up by a service project (${demand.status}): item ${item.id} takes no more claims`);
		}
		const [{ n }] = (await trx.raw(`SELECT count(*)::int AS n FROM service_claims WHERE item_id = :id`, { id: item.id })).rows;
		if (n >= item.slots) fail(409, `item ${item.id} needs ${item.slots} member(s) and has ${n} already`);
		const [row] = await trx('service_claims').insert({ item_id: item.id, member_id: memberId, recorded_by: user.username }).returning('id');
		const id = Number(row.id);
		await audit(trx, user, 'claim_service_item', `service_claim:${id}`, { item: item.id, member: memberId });
		return id;
	});
}

export interface DoneInput {
	hours: number;
	people_served?: number;
	done_on?: string;
	note?: string;
}

/** Records a claim done: the day (China's today unless given), the hours, the residents served. */
export async function recordDone(knex: Knex, user: User, scope: Scope, claimId: number, input: DoneInput): Promise<void> {
	if (!may(user, 'service.record')) fail(403, `a ${user.role} account may not record service`);
	await knex.transaction(async (trx) => {
		const r = readable(scope);
		const { rows } = await trx.raw(
			`SELECT sc.id, sc.item_id, sc.claimed_at, to_char(sc.done_on, 'YYYY-MM-DD') AS done_on, sc.hours::float8 AS hours, sc.people_served,
				i.community_id, cm.community_id AS member_community_id, cm.department_id
			 FROM service_claims sc JOIN service_items i ON i.id = sc.item_id JOIN communities ic ON ic.id = i.community_id JOIN party_members cm ON cm.id = sc.member_id
			 WHERE sc.id = :id AND ${r.claim} FOR UPDATE OF sc`,
			{ ...r.bindings, id: claimId, own: ownDepartment(user) }
		);
		const c = rows[0];
		if (!c) fail(404, `no service claim ${claimId}`);
		const permitted = user.role === 'department' ? c.department_id === user.department_id : await administers(trx, user, c.community_id);
		if (!permitted) fail(403, `a ${user.role} account may not record service claim ${claimId}`);
		const day = input.done_on ?? chinaDay();
		if (day > chinaDay()) fail(400, `done_on ${day} is in the future`);
		if (day < chinaDay(new Date(c.claimed_at))) fail(400, `done_on ${day} is before the claim (${chinaDay(new Date(c.claimed_at))})`);
		await trx('service_claims').where({ id: claimId }).update({ done_on: day, hours: input.hours, people_served: input.people_served ?? null, note: input.note ?? null });
		await audit(trx, user, 'record_service_claim', `service_claim:${claimId}`, {
			before: { done_on: c.done_on, hours: c.hours, people_served: c.people_served },
			after: { done_on: day, hours: input.hours, people_served: input.people_served ?? null }
		});
	});
}

/** A member the claim form offers: an active member the caller acts for. */
export interface Claimant {
	id: number;
	name: string;
	community_code: string;
}

/**
 * What the page's forms offer, by the rules the writes apply, so a form lists only what the
 * caller may pick: the communities it registers members in (an admin or a department account
 * any, a community admin those it administers), the communities it posts items in (those it
 * administers), the members it claims for (active ones: an admin any, a community admin those of
 * the communities it administers, a department account its own department's), the county
 * departments, and what the caller may do.
 */
export async function formChoices(knex: Knex, user: User) {
	const administered = reachOf(user, 'service-item.post') === 'any' ? 'true' : user.role === 'community_admin' && user.person_id != null ? `c.id IN (${ADMINISTERED_COMMUNITIES})` : 'false';
	const person = { person: user.person_id ?? -1 };
	const claimFor =
		user.role === 'department' ? (user.department_id != null ? 'm.department_id = :department' : 'false') : administered;
	const [communities, departments, claimants] = await Promise.all([
		knex.raw(`SELECT c.code, c.name, ${administered} AS administered FROM communities c ORDER BY c.code`, person),
		knex('departments').orderBy('code').select('code', 'name'),
		may(user, 'service-item.claim')
			? knex.raw(
					`SELECT m.id, m.name, c.code AS community_code FROM party_members m JOIN communities c ON c.id = m.community_id
					 WHERE m.left_on IS NULL AND ${claimFor} ORDER BY c.code, m.name, m.id`,
					{ ...person, department: user.department_id ?? -1 }
				)
			: { rows: [] }
	]);
	const all = communities.rows as { code: string; name: string; administered: boolean }[];
	const pick = (rows: typeof all) => rows.map(({ code, name }) => ({ code, name }));
	return {
		/** where the caller registers members */
		registerCommunities: user.role === 'department' ? pick(all) : pick(all.filter((c) => c.administered)),
		/** where the caller posts service items */
		postCommunities: pick(all.filter((c) => c.administered)),
		departments: departments as { code: string; name: string }[],
		/** the members the caller claims for */
		claimants: claimants.rows as Claimant[],
		/** registers members, claims and records for them */
		mayAct: may(user, 'service-item.claim'),
		/** posts service items */
		mayPost: may(user, 'service-item.post')
	};
}
