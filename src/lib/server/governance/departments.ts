/**
 * 县级部门 county departments and their links to communities (issue 14, part 1): the "N" of
 * 4+N. A department liaises with some communities (联系单位), is the lead unit (牵头单位) of
 * some, names a part-time deputy secretary (兼职副书记) in each, and answers the cases a
 * community escalates to it (社区吹哨、部门报到).
 *
 * Who reads a department's page: the county-wide roles (admin, planner, housing) every
 * department's, a department account its own only — another department's is a 404 to it, as
 * if it did not exist, the way a record outside a territory is. The area-bound roles
 * (community admin, grid worker, building head) are refused with a 403: a department's page
 * spans communities beyond theirs. Only an admin changes links, each change one transaction
 * with a history row (community_liaison_history), and territories are forgotten after it,
 * since a department account's territory is the communities it liaises with (territory.ts).
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { may, reachOf } from '../accounts/permissions.js';
import { forgetTerritories } from '../ownership/territory.js';
import { FINISHED_STATUSES } from '../../domain/issues.js';
// 三张清单 (issue 14, part 3)
import { listProjects, listResources, type ProjectRow, type ResourceRow } from './service-lists.js';

/** How far back a finished case's escalation stays on the page. */
export const RECENT_DAYS = 90;
/** The most escalations a page lists. */
export const ESCALATION_LIMIT = 200;
export const REASON_MAX = 500;

export interface DepartmentSummary {
	code: string;
	name: string;
	ack_limit_hours: number;
	communities: number;
	lead_of: number;
	/** escalations not yet acknowledged (报到 pending) */
	awaiting_ack: number;
}

export interface LiaisonCommunity {
	code: string;
	name: string;
	street_name: string | null;
	is_lead: boolean;
	deputy: { code: string; name: string; phone: string | null } | null;
}

export interface DepartmentEscalation {
	case_code: string;
	title: string;
	category: string;
	status: string;
	/** the case is not finished (resolved, verified, closed or rejected) */
	open: boolean;
	community_code: string | null;
	community_name: string | null;
	escalated_at: string;
	ack_due_at: string;
	acknowledged_at: string | null;
	/** on_time: acknowledged by the limit; late: acknowledged after it, or still not past it; waiting: not yet, not yet due */
	ack: 'on_time' | 'late' | 'waiting';
}

export interface LiaisonChange {
	at: string;
	actor: string;
	action: 'added' | 'removed' | 'lead_set' | 'lead_unset' | 'deputy_set' | 'deputy_unset';
	community_code: string;
	community_name: string;
	before: unknown;
	after: unknown;
	reason: string;
}

export interface DepartmentPage {
	code: string;
	name: string;
	ack_limit_hours: number;
	communities: LiaisonCommunity[];
	/** the communities as GeoJSON, `is_lead` in their properties, for the page's map */
	map: { type: 'FeatureCollection'; features: unknown[] };
	bbox: [number, number, number, number] | null;
	escalations: DepartmentEscalation[];
	escalation_counts: { total: number; on_time: number; late: number; waiting: number };
	history: LiaisonChange[];
	/** 资源清单: what the department offers (service-lists.ts) */
	resources: ResourceRow[];
	/** 服务项目: the projects that use its resources */
	projects: ProjectRow[];
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** The department a caller may read, or a 401/403/404; null never returned. A department account reads its own only: another one is a 404 to it. */
function checkReader(user: User | null, department: { id: number } | undefined, code: string): { id: number; reader: User } {
	if (!user) fail(401, 'sign in to read departments');
	if (!may(user, 'department.read')) fail(403, `a ${user.role} account may not read department pages`);
	if (!department || !may(user, 'department.read', { isOwn: department.id === user.department_id })) fail(404, `no department '${code.slice(0, 60)}'`);
	return { id: department.id, reader: user };
}

/** The departments a caller may read (a department account: its own), filtered by a search text on code or name. */
export async function list(knex: Knex, user: User | null, q?: string): Promise<DepartmentSummary[]> {
	if (!user) fail(401, 'sign in to read departments');
	if (!may(user, 'department.read')) fail(403, `a ${user.role} account may not read department pages`);
	const { rows } = await knex.raw(
		`SELECT d.code, d.name, d.ack_limit_hours,
			(SELECT count(*)::int FROM community_liaisons l WHERE l.department_id = d.id) AS communities,
			(SELECT count(*)::int FROM community_liaisons l WHERE l.department_id = d.id AND l.is_lead) AS lead_of,
			(SELECT count(*)::int FROM case_escalations e WHERE e.department_id = d.id AND e.acknowledged_at IS NULL) AS awaiting_ack
		 FROM departments d
		 WHERE (CAST(:own AS int) IS NULL OR d.id = :own)
			AND (CAST(:q AS text) IS NULL OR d.code ILIKE '%' || :q || '%' OR d.name ILIKE '%' || :q || '%')
		 ORDER BY d.code`,
		{ own: reachOf(user, 'department.read') === 'own' ? (user.department_id ?? -1) : null, q: q ? q.replace(/[\\%_]/g, (c) => `\\${c}`) : null }
	);
	return rows;
}

/** A department's page: its communities on a map, its deputies, its escalations, its link history. */
export async function read(knex: Knex, user: User | null, code: string): Promise<DepartmentPage> {
	const row = await knex('departments').where({ code }).first('id', 'code', 'name', 'ack_limit_hours');
	const { id, reader } = checkReader(user, row, code);
	const finished = [...FINISHED_STATUSES];
	const [communities, escalations, history] = await Promise.all([
		knex.raw(
			`SELECT c.code, c.name, s.name AS street_name, l.is_lead,
				CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('code', p.code, 'name', p.name, 'phone', p.phone) END AS deputy,
				ST_AsGeoJSON(c.geom, 6)::json AS geometry
			 FROM community_liaisons l JOIN communities c ON c.id = l.community_id
			 LEFT JOIN streets s ON s.id = c.street_id
			 LEFT JOIN people p ON p.id = l.deputy_person_id
			 WHERE l.department_id = :id ORDER BY l.is_lead DESC, c.code`,
			{ id }
		),
		// The same rule for late as the case record's (cases.ts): acknowledged after the limit, or not yet and past it.
		knex.raw(
			`SELECT i.code AS case_code, i.title, i.category, i.status, NOT (i.status = ANY(CAST(:finished AS text[]))) AS open,
				c.code AS community_code, c.name AS community_name,
				e.escalated_at, e.ack_due_at, e.acknowledged_at,
				CASE WHEN COALESCE(e.acknowledged_at, now()) > e.ack_due_at THEN 'late'
					WHEN e.acknowledged_at IS NULL THEN 'waiting' ELSE 'on_time' END AS ack
			 FROM case_escalations e JOIN issues i ON i.id = e.issue_id
			 LEFT JOIN LATERAL (SELECT cc.code, cc.name FROM covering_community(i.geom) cc) c ON true
			 WHERE e.department_id = :id
				AND (NOT (i.status = ANY(CAST(:finished AS text[]))) OR e.escalated_at > now() - make_interval(days => :days))
			 ORDER BY e.escalated_at DESC, i.code LIMIT :limit`,
			{ id, finished, days: RECENT_DAYS, limit: ESCALATION_LIMIT }
		),
		knex.raw(
			`SELECT h.at, h.actor, h.action, c.code AS community_code, c.name AS community_name, h.before, h.after, h.reason
			 FROM community_liaison_history h JOIN communities c ON c.id = h.community_id
			 WHERE h.department_id = :id ORDER BY h.at DESC, h.id DESC`,
			{ id }
		)
	]);
	const listed: DepartmentEscalation[] = escalations.rows.map((e: Record<string, unknown>) => ({
		...e,
		escalated_at: iso(e.escalated_at)!,
		ack_due_at: iso(e.ack_due_at)!,
		acknowledged_at: iso(e.acknowledged_at)
	}));
	const count = (a: DepartmentEscalation['ack']) => listed.filter((e) => e.ack === a).length;
	const features = communities.rows.map((c: LiaisonCommunity & { geometry: unknown }) => ({
		type: 'Feature',
		geometry: c.geometry,
		properties: { code: c.code, name: c.name, is_lead: c.is_lead }
	}));
	const bbox = (await knex.raw(
		`SELECT ST_XMin(b) AS x0, ST_YMin(b) AS y0, ST_XMax(b) AS x1, ST_YMax(b) AS y1 FROM (SELECT ST_Extent(c.geom) AS b FROM community_liaisons l JOIN communities c ON c.id = l.community_id WHERE l.department_id = :id) e`,
		{ id }
	)).rows[0];
	return {
		code: row!.code,
		name: row!.name,
		ack_limit_hours: row!.ack_limit_hours,
		communities: communities.rows.map(({ geometry: _g, ...c }: LiaisonCommunity & { geometry: unknown }) => c),
		map: { type: 'FeatureCollection', features },
		bbox: bbox.x0 === null ? null : [bbox.x0, bbox.y0, bbox.x1, bbox.y1],
		escalations: listed,
		escalation_counts: { total: listed.length, on_time: count('on_time'), late: count('late'), waiting: count('waiting') },
		history: history.rows.map((h: Record<string, unknown>) => ({ ...h, at: iso(h.at)! })) as LiaisonChange[],
		resources: await listResources(knex, reader, { kind: 'all' }, { department_id: id }),
		projects: await listProjects(knex, reader, { kind: 'all' }, { department_id: id })
	};
}

// ---------------------------------------------------------------- link changes

interface Link {
	id: number;
	is_lead: boolean;
	deputy_person_id: number | null;
}

async function history(
	trx: Knex,
	actor: User,
	departmentId: number,
	communityId: number,
	action: LiaisonChange['action'],
	before: unknown,
	after: unknown,
	reason: string
): Promise<void> {
	await trx('community_liaison_history').insert({
		department_id: departmentId,
		community_id: communityId,
		action,
		before: before === null ? null : JSON.stringify(before),
		after: after === null ? null : JSON.stringify(after),
		reason,
		actor: actor.username
	});
}

async function target(trx: Knex, departmentCode: string, communityCode: string) {
	const department = await trx('departments').where({ code: departmentCode }).first('id');
	if (!department) fail(404, `no department '${departmentCode.slice(0, 60)}'`);
	const community = await trx('communities').where({ code: communityCode }).first('id');
	if (!community) fail(400, `community_code '${communityCode.slice(0, 60)}' is not a known community`);
	// Locked, so two admins changing one link queue rather than both writing from the same "before".
	const link = (await trx('community_liaisons')
		.where({ department_id: department.id, community_id: community.id })
		.forUpdate()
		.first('id', 'is_lead', 'deputy_person_id')) as Link | undefined;
	return { departmentId: department.id as number, communityId: community.id as number, link };
}

/** Runs a change and forgets territories once it is committed (a department's territory is its communities). */
async function changing<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
	const result = await knex.transaction(work);
	forgetTerritories();
	return result;
}

export interface LiaisonInput {
	community_code: string;
	/** undefined: a new link is not the lead, an existing one keeps what it is */
	is_lead?: boolean;
	reason: string;
}

/**
 * Adds a liaison link, or sets or unsets the lead unit on one. Making a department the lead
 * unit takes the lead from the community's former lead unit (one per community, migration
 * 0190), with a history row on that department's page too. A request that changes nothing
 * is a 409.
 */
export async function addLiaison(knex: Knex, actor: User, departmentCode: string, input: LiaisonInput): Promise<{ created: boolean }> {
	return changing(knex, async (trx) => {
		const { departmentId, communityId, link } = await target(trx, departmentCode, input.community_code);
		const lead = input.is_lead ?? (link ? link.is_lead : false);
		if (link && link.is_lead === lead) fail(409, `department '${departmentCode.slice(0, 60)}' already liaises with '${input.community_code.slice(0, 60)}'${lead ? ' as its lead unit' : ''}`);
		if (lead) {
			const former = await trx('community_liaisons').where({ community_id: communityId, is_lead: true }).whereNot({ department_id: departmentId }).forUpdate().first('id', 'department_id');
			if (former) {
				await trx('community_liaisons').where({ id: former.id }).update({ is_lead: false });
				await history(trx, actor, former.department_id, communityId, 'lead_unset', { is_lead: true }, { is_lead: false }, input.reason);
			}
		}
		if (!link) {
			await trx('community_liaisons').insert({ department_id: departmentId, community_id: communityId, is_lead: lead });
			await history(trx, actor, departmentId, communityId, 'added', null, { is_lead: lead }, input.reason);
			return { created: true };
		}
		await trx('community_liaisons').where({ id: link.id }).update({ is_lead: lead });
		await history(trx, actor, departmentId, communityId, lead ? 'lead_set' : 'lead_unset', { is_lead: link.is_lead }, { is_lead: lead }, input.reason);
		return { created: false };
	});
}

/** Ends a liaison link (its deputy goes with it); the history keeps what it was. */
export async function removeLiaison(knex: Knex, actor: User, departmentCode: string, communityCode: string, reason: string): Promise<void> {
	await changing(knex, async (trx) => {
		const { departmentId, communityId, link } = await target(trx, departmentCode, communityCode);
		if (!link) fail(404, `department '${departmentCode.slice(0, 60)}' does not liaise with '${communityCode.slice(0, 60)}'`);
		const deputy = link.deputy_person_id === null ? null : await trx('people').where({ id: link.deputy_person_id }).first('code', 'name');
		await trx('community_liaisons').where({ id: link.id }).del();
		await history(trx, actor, departmentId, communityId, 'removed', { is_lead: link.is_lead, deputy: deputy ?? null }, null, reason);
	});
}

/**
 * Names the part-time deputy secretary (兼职副书记) of a link, or clears it (null). The person
 * must exist and, when the register gives them a unit, work for this department: the post is
 * held by one of the liaison department's own party leaders.
 */
export async function setDeputy(knex: Knex, actor: User, departmentCode: string, communityCode: string, personCode: string | null, reason: string) {
	return changing(knex, async (trx) => {
		const { departmentId, communityId, link } = await target(trx, departmentCode, communityCode);
		if (!link) fail(404, `department '${departmentCode.slice(0, 60)}' does not liaise with '${communityCode.slice(0, 60)}'`);
		let person: { id: number; code: string; name: string; department_id: number | null } | null = null;
		if (personCode !== null) {
			person = (await trx('people').where({ code: personCode }).first('id', 'code', 'name', 'department_id')) ?? null;
			if (!person) fail(400, `person_code '${personCode.slice(0, 60)}' is not a known person`);
			if (person.department_id !== null && person.department_id !== departmentId) fail(400, `person_code '${personCode.slice(0, 60)}' works for another department`);
		}
		if ((person?.id ?? null) === link.deputy_person_id) fail(409, 'the link already has that deputy secretary');
		const before = link.deputy_person_id === null ? null : await trx('people').where({ id: link.deputy_person_id }).first('code', 'name');
		await trx('community_liaisons').where({ id: link.id }).update({ deputy_person_id: person?.id ?? null });
		const after = person ? { code: person.code, name: person.name } : null;
		await history(trx, actor, departmentId, communityId, person ? 'deputy_set' : 'deputy_unset', before ?? null, after, reason);
		return { deputy: after };
	});
}

/** The communities an admin may link a department to: every one, for the form's choice. */
export async function linkableCommunities(knex: Knex): Promise<{ code: string; name: string }[]> {
	return knex('communities').orderBy('code').select('code', 'name');
}
