/**
 * 三张清单 (issue 14, part 3): the resource list (资源清单, what a department or unit offers),
 * the demand list (需求清单, what residents need, at a point on the map) and the project list
 * (项目清单, agreed — usually at a joint meeting — matching a demand to a resource), in the
 * seed's five categories.
 *
 * Who reads: any signed-in caller, within their territory. A demand is read where its point
 * lies in the territory (a grid worker sees their grid's); a project where its community
 * shares more than a boundary with it (a department account: its liaison communities'). A
 * resource tied to a community is read like a project; one offered county-wide (no community)
 * by everyone signed in; a department account also reads its own department's.
 *
 * Who writes: admins anywhere and a community's admins for their community — resources,
 * demands and projects; a department account its own department's resources; grid workers
 * and building heads demands at points in their territory. Every write is one transaction
 * with an audit row; bad input is a 400 naming the field with nothing written.
 *
 * The matching view lists the resources of a demand's category: the community's liaison
 * departments' first (the lead unit before the others), then the rest, each group by title.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { may, reachOf } from '../accounts/permissions.js';
import { ADMINISTERED_COMMUNITIES, administers, scopeFilter, type Scope } from '../ownership/territory.js';
import { audit } from '../platform/audit.js';
import { DEMAND_STATUSES, PROJECT_STATUSES, SERVICE_CATEGORIES, type DemandStatus, type ProjectStatus, type ServiceCategory } from '../../domain/service-lists.js';

export { DEMAND_STATUSES, PROJECT_STATUSES, SERVICE_CATEGORIES };
export const BODY_LIMIT = 16 * 1024;
export const TITLE_MAX = 200;
export const TEXT_MAX = 2000;
/** The most rows a list returns. */
export const LIST_LIMIT = 500;

export interface ResourceRow {
	id: number;
	category: ServiceCategory;
	title: string;
	description: string | null;
	capacity: string | null;
	department_code: string | null;
	department_name: string | null;
	unit_name: string | null;
	community_code: string | null;
	community_name: string | null;
}

export interface DemandRow {
	id: number;
	category: ServiceCategory;
	title: string;
	description: string | null;
	status: DemandStatus;
	community_code: string;
	community_name: string;
	lng: number;
	lat: number;
	building_id: number | null;
	reported_by: string | null;
	created_at: string;
}

export interface ProjectRow {
	id: number;
	category: ServiceCategory;
	title: string;
	status: ProjectStatus;
	progress_pct: number;
	community_code: string;
	community_name: string;
	meeting_id: number | null;
	demand_id: number | null;
	demand_title: string | null;
	resource_id: number | null;
	resource_title: string | null;
	provider: string | null;
	started_on: string | null;
	done_on: string | null;
	/** where it happens, GeoJSON, or null */
	geometry: unknown;
}

export interface Match extends ResourceRow {
	/** the resource's department liaises with the demand's community */
	liaison: boolean;
	is_lead: boolean;
}

const RESOURCE_SELECT = `SELECT r.id, r.category, r.title, r.description, r.capacity, d.code AS department_code, d.name AS department_name,
	r.unit_name, c.code AS community_code, c.name AS community_name
	FROM resources r LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN communities c ON c.id = r.community_id`;

const PROJECT_SELECT = `SELECT p.id, p.category, p.title, p.status, p.progress_pct, c.code AS community_code, c.name AS community_name,
	p.meeting_id, p.demand_id, dm.title AS demand_title, p.resource_id, r.title AS resource_title, COALESCE(dp.name, r.unit_name) AS provider,
	to_char(p.started_on, 'YYYY-MM-DD') AS started_on, to_char(p.done_on, 'YYYY-MM-DD') AS done_on, ST_AsGeoJSON(p.geom, 6)::json AS geometry
	FROM service_projects p JOIN communities c ON c.id = p.community_id
	LEFT JOIN demands dm ON dm.id = p.demand_id LEFT JOIN resources r ON r.id = p.resource_id LEFT JOIN departments dp ON dp.id = r.department_id`;

// ---------------------------------------------------------------- reading

export interface ListFilter {
	category?: ServiceCategory;
	/** only a department's (resources offered, projects using its resources) */
	department_id?: number;
}

export async function listResources(knex: Knex, user: User, scope: Scope, filter: ListFilter = {}): Promise<ResourceRow[]> {
	const u = user;
	const area = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(
		`${RESOURCE_SELECT}
		 WHERE (r.community_id IS NULL OR ${area.sql} OR r.department_id = :own)
			AND (CAST(:category AS text) IS NULL OR r.category = :category)
			AND (CAST(:department AS int) IS NULL OR r.department_id = :department)
		 ORDER BY r.category, r.title, r.id LIMIT ${LIST_LIMIT}`,
		{ ...area.bindings, own: u.role === 'department' ? (u.department_id ?? -1) : -1, category: filter.category ?? null, department: filter.department_id ?? null }
	);
	return rows;
}

export async function listDemands(knex: Knex, user: User, scope: Scope, filter: ListFilter & { status?: DemandStatus } = {}): Promise<DemandRow[]> {
	const point = scopeFilter(scope, 'd.geom', 'point');
	const { rows } = await knex.raw(
		`SELECT d.id, d.category, d.title, d.description, d.status, c.code AS community_code, c.name AS community_name,
			ST_X(d.geom) AS lng, ST_Y(d.geom) AS lat, d.building_id, u.username AS reported_by, d.created_at
		 FROM demands d JOIN communities c ON c.id = d.community_id LEFT JOIN users u ON u.id = d.reported_by
		 WHERE ${point.sql}
			AND (CAST(:category AS text) IS NULL OR d.category = :category)
			AND (CAST(:status AS text) IS NULL OR d.status = :status)
		 ORDER BY (d.status = 'open') DESC, d.created_at DESC, d.id DESC LIMIT ${LIST_LIMIT}`,
		{ ...point.bindings, category: filter.category ?? null, status: filter.status ?? null }
	);
	return rows.map((r: DemandRow) => ({ ...r, lng: Number(r.lng), lat: Number(r.lat), created_at: new Date(r.created_at).toISOString() }));
}

export async function listProjects(knex: Knex, user: User, scope: Scope, filter: ListFilter = {}): Promise<ProjectRow[]> {
	const area = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(
		`${PROJECT_SELECT}
		 WHERE ${area.sql}
			AND (CAST(:category AS text) IS NULL OR p.category = :category)
			AND (CAST(:department AS int) IS NULL OR r.department_id = :department)
		 ORDER BY (p.status = 'done'), p.id DESC LIMIT ${LIST_LIMIT}`,
		{ ...area.bindings, category: filter.category ?? null, department: filter.department_id ?? null }
	);
	return rows;
}

/** A demand the caller may read, or undefined. */
async function visibleDemand(knex: Knex, scope: Scope, id: number) {
	const point = scopeFilter(scope, 'd.geom', 'point');
	const { rows } = await knex.raw(`SELECT d.id, d.community_id, d.category, d.status, d.title FROM demands d WHERE d.id = :id AND ${point.sql}`, { ...point.bindings, id });
	return rows[0] as { id: number; community_id: number; category: ServiceCategory; status: DemandStatus; title: string } | undefined;
}

/** The resources that could meet a demand: same category, the community's liaison departments first (lead unit first), then the others, by title. */
export async function matches(knex: Knex, user: User, scope: Scope, demandId: number): Promise<{ demand: { id: number; category: ServiceCategory; title: string; status: DemandStatus }; matches: Match[] }> {
	const demand = await visibleDemand(knex, scope, demandId);
	if (!demand) fail(404, `no demand ${demandId}`);
	const { rows } = await knex.raw(
		`SELECT x.* FROM (
			SELECT r.id, r.category, r.title, r.description, r.capacity, d.code AS department_code, d.name AS department_name,
				r.unit_name, c.code AS community_code, c.name AS community_name,
				l.id IS NOT NULL AS liaison, COALESCE(l.is_lead, false) AS is_lead
			FROM resources r LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN communities c ON c.id = r.community_id
			LEFT JOIN community_liaisons l ON l.department_id = r.department_id AND l.community_id = :community
			WHERE r.category = :category AND (r.community_id IS NULL OR r.community_id = :community OR l.id IS NOT NULL)
		 ) x ORDER BY x.liaison DESC, x.is_lead DESC, x.title, x.id`,
		{ community: demand.community_id, category: demand.category }
	);
	// Resources tied to another community are left out: they are offered there, not here.
	return { demand: { id: demand.id, category: demand.category, title: demand.title, status: demand.status }, matches: rows };
}

// ---------------------------------------------------------------- writing

/** A community named in a body by its code, or a 400 naming community_code. */
export async function communityByCode(knex: Knex, code: string): Promise<{ id: number; code: string }> {
	const c = await knex('communities').where({ code }).first('id', 'code');
	if (!c) fail(400, `community_code '${code.slice(0, 60)}' is not a known community`);
	return c;
}

export interface ResourceInput {
	category: ServiceCategory;
	title: string;
	description?: string;
	capacity?: string;
	community_code?: string;
	department_code?: string;
	unit_name?: string;
}

export async function createResource(knex: Knex, user: User, input: ResourceInput): Promise<number> {
	const community = input.community_code ? await communityByCode(knex, input.community_code) : null;
	let departmentId: number | null = null;
	if (input.department_code) {
		const d = await knex('departments').where({ code: input.department_code }).first('id');
		if (!d) fail(400, `department_code '${input.department_code.slice(0, 60)}' is not a known department`);
		departmentId = d.id;
	}
	if (user.role === 'department') {
		if (departmentId !== null && departmentId !== user.department_id) fail(403, 'a department account offers its own department\'s resources only');
		departmentId = user.department_id ?? null;
		if (departmentId === null) fail(403, 'this department account has no department');
	} else if (reachOf(user, 'resource.add') !== 'any') {
		if (!community) fail(403, `a ${user.role} account offers resources for a community it administers: community_code is required`);
		if (!(await administers(knex, user, community.id))) fail(403, `a ${user.role} account may not add resources for community '${community.code}'`);
	}
	if (departmentId === null && !input.unit_name) fail(400, 'unit_name is required when no department_code names the provider');
	return knex.transaction(async (trx) => {
		const [row] = await trx('resources')
			.insert({
				category: input.category, title: input.title, description: input.description ?? null, capacity: input.capacity ?? null,
				community_id: community?.id ?? null, department_id: departmentId, unit_name: input.unit_name ?? null, created_by: user.username
			})
			.returning('id');
		const id = Number(row.id);
		await audit(trx, user, 'create_resource', `resource:${id}`, { category: input.category, title: input.title, community: community?.code ?? null });
		return id;
	});
}

export interface DemandInput {
	category: ServiceCategory;
	title: string;
	description?: string;
	point: [number, number];
	building_id?: number;
}

export async function createDemand(knex: Knex, user: User, scope: Scope, input: DemandInput): Promise<number> {
	if (!may(user, 'demand.record')) fail(403, `a ${user.role} account may not record demands`);
	const inScope = scopeFilter(scope, 'p.g', 'point');
	const { rows } = await knex.raw(
		`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS g)
		 SELECT (SELECT cc.id FROM covering_community(p.g) cc LIMIT 1) AS community_id, (SELECT cc.code FROM covering_community(p.g) cc LIMIT 1) AS code, ${inScope.sql} AS mine FROM p`,
		{ ...inScope.bindings, lng: input.point[0], lat: input.point[1] }
	);
	const at = rows[0] as { community_id: number | null; code: string | null; mine: boolean };
	if (at.community_id === null) fail(400, `lng, lat: the point [${input.point.join(', ')}] lies in no community`);
	if (!at.mine) fail(403, `the point [${input.point.join(', ')}] lies outside your territory`);
	if (user.role === 'community_admin' && !(await administers(knex, user, at.community_id))) fail(403, `a community_admin account may not record demands in community '${at.code}'`);
	if (input.building_id !== undefined) {
		const b = await knex('buildings').where({ id: input.building_id }).first('id');
		if (!b) fail(400, `building_id ${input.building_id} is not a known building`);
	}
	return knex.transaction(async (trx) => {
		const { rows: inserted } = await trx.raw(
			`INSERT INTO demands (community_id, category, title, description, reported_by, building_id, geom)
			 VALUES (:community, :category, :title, :description, :user, :building, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) RETURNING id`,
			{
				community: at.community_id, category: input.category, title: input.title, description: input.description ?? null, user: user.id,
				building: input.building_id ?? null, lng: input.point[0], lat: input.point[1]
			}
		);
		const id = Number(inserted[0].id);
		await audit(trx, user, 'create_demand', `demand:${id}`, { category: input.category, community: at.code, point: input.point });
		return id;
	});
}

export interface ProjectInput {
	title: string;
	category?: ServiceCategory;
	community_code?: string;
	demand_id?: number;
	resource_id?: number;
	meeting_id?: number;
	started_on?: string;
	point?: [number, number];
}

/**
 * Agrees a project: for a demand (its community and category, taken up: status matched; one
 * not open, or one whose 双报到 service item a party member claimed, is a 409) and/or a resource (of the same category), optionally recorded against a
 * joint meeting of the same community.
 */
export async function createProject(knex: Knex, user: User, scope: Scope, input: ProjectInput): Promise<number> {
	if (!may(user, 'service-project.agree')) fail(403, `a ${user.role} account may not agree service projects`);
	return knex.transaction(async (trx) => {
		let communityId: number;
		let category = input.category;
		if (input.demand_id !== undefined) {
			const demand = await visibleDemand(trx, scope, input.demand_id);
			if (!demand) fail(400, `demand_id ${input.demand_id} is not a demand you may read`);
			const locked = await trx('demands').where({ id: demand.id }).forUpdate().first('status');
			if (locked.status !== 'open') fail(409, `demand ${demand.id} is already ${locked.status}`);
			if (category && category !== demand.category) fail(400, `category '${category}' differs from demand_id ${demand.id}'s '${demand.category}'`);
			category = demand.category;
			communityId = demand.community_id;
			if (input.community_code) {
				const c = await communityByCode(trx, input.community_code);
				if (c.id !== communityId) fail(400, `community_code '${input.community_code}' is not demand_id ${demand.id}'s community`);
			}
		} else {
			if (!input.community_code) fail(400, 'community_code is required when no demand_id is given');
			communityId = (await communityByCode(trx, input.community_code)).id;
		}
		if (input.resource_id !== undefined) {
			const r = await trx('resources').where({ id: input.resource_id }).first('id', 'category');
			if (!r) fail(400, `resource_id ${input.resource_id} is not a known resource`);
			if (category && r.category !== category) fail(400, `resource_id ${input.resource_id} is of category '${r.category}', not '${category}'`);
			category = r.category;
		}
		if (!category) fail(400, 'category is required when neither demand_id nor resource_id gives it');
		if (!(await administers(trx, user, communityId))) fail(403, `a ${user.role} account may not agree projects in that community`);
		if (input.demand_id !== undefined) {
			// 双报到: party members who claimed the demand's service item serve it; a project does not take it from them
			// (the demand's row is locked above, and a claim shares that lock while it checks the demand is open).
			const served = (await trx.raw(
				`SELECT i.id FROM service_items i WHERE i.demand_id = :demand AND EXISTS (SELECT 1 FROM service_claims sc WHERE sc.item_id = i.id) ORDER BY i.id LIMIT 1`,
				{ demand: input.demand_id }
			)).rows[0];
			if (served) fail(409, `demand ${input.demand_id} is being served by party members (service item ${served.id})`);
		}
		if (input.meeting_id !== undefined) {
			const m = await trx('first_secretary_activities').where({ id: input.meeting_id, kind: 'meeting' }).first('community_id');
			if (!m || m.community_id !== communityId) fail(400, `meeting_id ${input.meeting_id} is not a joint meeting of the project's community`);
		}
		if (input.point) {
			const { rows } = await trx.raw(`SELECT community_covers(:id, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) AS inside`, { id: communityId, lng: input.point[0], lat: input.point[1] });
			if (!rows[0]?.inside) fail(400, `lng, lat: the point [${input.point.join(', ')}] lies outside the project's community`);
		}
		const { rows } = await trx.raw(
			`INSERT INTO service_projects (meeting_id, community_id, category, title, demand_id, resource_id, started_on, created_by, geom)
			 VALUES (:meeting, :community, :category, :title, :demand, :resource, :started, :by,
				CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) END) RETURNING id`,
			{
				meeting: input.meeting_id ?? null, community: communityId, category, title: input.title, demand: input.demand_id ?? null,
				resource: input.resource_id ?? null, started: input.started_on ?? null, by: user.username, lng: input.point?.[0] ?? null, lat: input.point?.[1] ?? null
			}
		);
		const id = Number(rows[0].id);
		if (input.demand_id !== undefined) await trx('demands').where({ id: input.demand_id }).update({ status: 'matched' });
		await audit(trx, user, 'create_service_project', `service_project:${id}`, { demand: input.demand_id ?? null, resource: input.resource_id ?? null, meeting: input.meeting_id ?? null });
		return id;
	});
}

export interface ProgressInput {
	status?: ProjectStatus;
	progress_pct?: number;
}

/** Moves a project on: progress and status; done dates it today, sets progress 100 and its demand done. */
export async function updateProject(knex: Knex, user: User, scope: Scope, id: number, input: ProgressInput): Promise<void> {
	if (!may(user, 'service-project.update')) fail(403, `a ${user.role} account may not update service projects`);
	await knex.transaction(async (trx) => {
		const area = scopeFilter(scope, 'c.geom', 'area');
		const { rows } = await trx.raw(
			`SELECT p.id, p.community_id, p.status, p.progress_pct, p.demand_id, to_char(p.started_on, 'YYYY-MM-DD') AS started_on FROM service_projects p JOIN communities c ON c.id = p.community_id
			 WHERE p.id = :id AND ${area.sql} FOR UPDATE OF p`,
			{ ...area.bindings, id }
		);
		const p = rows[0];
		if (!p) fail(404, `no service project ${id}`);
		if (!(await administers(trx, user, p.community_id))) fail(403, `a ${user.role} account may not update service project ${id}`);
		const status: ProjectStatus = input.status ?? (input.progress_pct === 100 ? 'done' : input.progress_pct !== undefined && p.status === 'planned' && input.progress_pct > 0 ? 'in_progress' : p.status);
		const progress = status === 'done' ? 100 : (input.progress_pct ?? p.progress_pct);
		if (status === 'done' && input.progress_pct !== undefined && input.progress_pct !== 100) fail(400, 'progress_pct must be 100 for a done project');
		// Today in UTC, as the request readers' today() (http/params.ts) gives it.
		const day = new Date().toISOString().slice(0, 10);
		await trx('service_projects').where({ id }).update({
			status,
			progress_pct: progress,
			started_on: p.started_on ?? (status !== 'planned' ? day : null),
			done_on: status === 'done' ? day : null
		});
		if (p.demand_id !== null) await trx('demands').where({ id: p.demand_id }).update({ status: status === 'done' ? 'done' : 'matched' });
		await audit(trx, user, 'update_service_project', `service_project:${id}`, { before: { status: p.status, progress_pct: p.progress_pct }, after: { status, progress_pct: progress } });
	});
}

/** What the page's forms offer a user: which lists they may add to, the communities they may name, the departments an admin may name as provider. */
export async function formOptions(knex: Knex, user: User, scope: Scope): Promise<{
	can: { resource: boolean; demand: boolean; project: boolean };
	communities: { code: string; name: string }[];
	departments: { code: string; name: string }[];
}> {
	const can = {
		resource: may(user, 'resource.add'),
		demand: may(user, 'demand.record'),
		project: may(user, 'service-project.agree')
	};
	const mine = user.role === 'community_admin' ? `c.id IN (${ADMINISTERED_COMMUNITIES})` : 'true';
	const area = scopeFilter(scope, 'c.geom', 'area');
	const { rows: communities } = await knex.raw(`SELECT c.code, c.name FROM communities c WHERE ${area.sql} AND ${mine} ORDER BY c.code`, {
		...area.bindings,
		person: user.person_id ?? -1
	});
	const departments = reachOf(user, 'resource.add') === 'any' ? await knex('departments').orderBy('code').select('code', 'name') : [];
	return { can, communities, departments };
}
