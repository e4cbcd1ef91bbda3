/**
 * People and their assignments: a person's roles and territory, an area's roster (the 4+N
 * of a community, the 两长两员 of a building), and assigning or ending a role with a reason.
 * Assignments are never deleted; ending one sets valid_to, so history stays.
 */
import type { Knex } from 'knex';
import type { AreaLevel, Role } from '../../domain/glossary.js';
import { LEVEL_TABLE } from '../platform/tables.js';
import { scopeFilter, forgetTerritories, type Scope } from './territory.js';
import { held } from '../platform/held.js';
import { fail } from '../platform/errors.js';
import { audit } from '../platform/audit.js';

/** Which level each role is held on. */
export const ROLE_LEVEL: Record<Role, AreaLevel> = {
	building_head: 'building',
	party_group_leader: 'building',
	registered_party_member: 'building',
	grid_worker: 'grid',
	compound_branch_secretary: 'compound',
	community_secretary: 'community',
	first_secretary: 'community',
	street_secretary: 'street'
};

/** Where an area's people come from: the assignments whose `column` is `id` (an SQL expression), tagged `via` when inherited. */
export interface PeopleSource {
	column: 'street_id' | 'community_id' | 'grid_id' | 'compound_id' | 'building_id';
	id: string;
	/** the level the people answer through (a building's grid worker: 'grid') */
	via?: AreaLevel;
}

/**
 * The one shape of "an area's people" in every answer: a JSON array of {role, code, name}
 * (and `via` when inherited), holding the role on `day` (an SQL date expression), ordered by
 * source, role and code. A correlated subquery on the assignments' indexed target columns,
 * so an area and its people come back in one statement.
 */
export function peopleJsonSql(sources: PeopleSource[], day = 'current_date'): string {
	const tagged = sources.some((s) => s.via);
	const via = (source: PeopleSource) => (tagged ? `, ${source.via ? `CAST('${source.via}' AS text)` : 'CAST(NULL AS text)'} AS via` : '');
	const branches = sources.map(
		(source, k) => `SELECT ${k} AS k, a.role, p.code, p.name${via(source)} FROM assignments a JOIN people p ON p.id = a.person_id
			WHERE a.${source.column} = ${source.id} AND ${held('a', day)}`
	);
	const item = `json_build_object('role', x.role, 'code', x.code, 'name', x.name${tagged ? ", 'via', x.via" : ''})`;
	return `(SELECT coalesce(json_agg(${tagged ? `json_strip_nulls(${item})` : item} ORDER BY x.k, x.role, x.code), CAST('[]' AS json)) FROM (
			${branches.join('\n\t\t\tUNION ALL ')}
		) x)`;
}

export interface AssignmentRow {
	id: number;
	role: Role;
	level: AreaLevel;
	target_code: string;
	target_name: string;
	valid_from: string;
	valid_to: string | null;
	reason: string | null;
}

const TARGET = `CASE
	WHEN a.building_id IS NOT NULL THEN 'building'
	WHEN a.grid_id IS NOT NULL THEN 'grid'
	WHEN a.compound_id IS NOT NULL THEN 'compound'
	WHEN a.community_id IS NOT NULL THEN 'community'
	ELSE 'street' END`;
const TARGET_JOINS = `LEFT JOIN buildings b ON b.id = a.building_id LEFT JOIN grids g ON g.id = a.grid_id
	LEFT JOIN compounds k ON k.id = a.compound_id LEFT JOIN communities c ON c.id = a.community_id
	LEFT JOIN streets s ON s.id = a.street_id`;
const TARGET_CODE = `coalesce(b.code, g.code, k.code, c.code, s.code)`;
const TARGET_NAME = `coalesce(b.address, b.code, g.name, k.name, c.name, s.name)`;
const TARGET_GEOM = `coalesce(b.geom, g.geom, k.geom, c.geom, s.geom)`;

function dateText(value: unknown): string | null {
	if (value == null) return null;
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	return String(value).slice(0, 10);
}

/** A person with every assignment they ever held, or null when the scope may not see them. */
export async function person(knex: Knex, scope: Scope, code: string) {
	const p = await knex('people as p').leftJoin('departments as d', 'd.id', 'p.department_id').where('p.code', code).first('p.id', 'p.code', 'p.name', 'p.phone', 'p.is_party_member', 'd.name as department');
	if (!p) return null;
	const visible = scopeFilter(scope, TARGET_GEOM, 'area');
	const { rows } = await knex.raw(
		`SELECT a.id, a.role, ${TARGET} AS level, ${TARGET_CODE} AS target_code, ${TARGET_NAME} AS target_name,
			a.valid_from, a.valid_to, a.reason, ${visible.sql} AS visible,
			ST_XMin(${TARGET_GEOM}) AS w, ST_YMin(${TARGET_GEOM}) AS s, ST_XMax(${TARGET_GEOM}) AS e, ST_YMax(${TARGET_GEOM}) AS n
		 FROM assignments a ${TARGET_JOINS}
		 WHERE a.person_id = :id
		 ORDER BY a.valid_to IS NOT NULL, a.valid_from DESC, a.id DESC`,
		{ id: p.id, ...visible.bindings }
	);
	if (scope.kind !== 'all' && !rows.some((r: { visible: boolean }) => r.visible)) return null;
	const today = new Date().toISOString().slice(0, 10);
	const current = rows.filter((r: { valid_to: unknown }) => !r.valid_to || dateText(r.valid_to)! > today);
	const box = (current.length ? current : rows).reduce(
		(m: number[], r: { w: number; s: number; e: number; n: number }) => [Math.min(m[0], r.w), Math.min(m[1], r.s), Math.max(m[2], r.e), Math.max(m[3], r.n)],
		[Infinity, Infinity, -Infinity, -Infinity]
	);
	const { rows: shapes } = await knex.raw(
		`SELECT a.role, ${TARGET_CODE} AS code, ${TARGET_NAME} AS name, ST_AsGeoJSON(${TARGET_GEOM}, 7) AS g
		 FROM assignments a ${TARGET_JOINS}
		 WHERE a.person_id = :id AND ${held('a')}`,
		{ id: p.id }
	);
	return {
		code: p.code,
		name: p.name,
		phone: p.phone,
		/** the areas and buildings of the current assignments, for a map */
		territory: {
			type: 'FeatureCollection' as const,
			features: shapes.map((r: { role: string; code: string; name: string; g: string }) => ({
				type: 'Feature' as const,
				properties: { role: r.role, code: r.code, name: r.name },
				geometry: JSON.parse(r.g)
			}))
		},
		is_party_member: p.is_party_member,
		department: p.department,
		bbox: Number.isFinite(box[0]) ? box.map(Number) : null,
		assignments: rows.map((r: AssignmentRow & { w: unknown }) => ({
			id: r.id,
			role: r.role,
			level: r.level,
			target_code: r.target_code,
			target_name: r.target_name,
			valid_from: dateText(r.valid_from),
			valid_to: dateText(r.valid_to),
			reason: r.reason
		}))
	};
}

/**
 * An area's roster today. A community: the 4+N — first secretary, street secretary (of its
 * street), community secretary, compound branch secretaries, and the liaison departments
 * with the lead unit. A building: the 两长两员 — building head, party group leader, the grid
 * worker of its grid, registered party members. Other levels: the people assigned to them.
 */
export async function roster(knex: Knex, level: AreaLevel, code: string) {
	const area = await knex(LEVEL_TABLE[level]).where('code', code).first('id');
	if (!area) return null;
	const current = held('a');
	const people = (where: string, bindings: Record<string, unknown>) =>
		knex
			.raw(
				`SELECT a.id, a.role, p.code, p.name, p.phone, a.valid_from FROM assignments a JOIN people p ON p.id = a.person_id
				 WHERE ${where} AND ${current} ORDER BY a.role, p.code`,
				bindings
			)
			.then((r) => r.rows.map((row: { valid_from: unknown }) => ({ ...row, valid_from: dateText(row.valid_from) })));
	if (level === 'community') {
		const [own, street, branches, departments] = await Promise.all([
			people('a.community_id = :id', { id: area.id }),
			people('a.street_id = (SELECT street_id FROM communities WHERE id = :id)', { id: area.id }),
			people(`a.compound_id IN (SELECT id FROM compounds WHERE community_id = :id)`, { id: area.id }),
			knex.raw(
				`SELECT d.code, d.name, l.is_lead FROM community_liaisons l JOIN departments d ON d.id = l.department_id
				 WHERE l.community_id = :id ORDER BY l.is_lead DESC, d.code`,
				{ id: area.id }
			)
		]);
		return { level, code, people: [...own, ...street, ...branches], departments: departments.rows };
	}
	if (level === 'building') {
		const [own, grid] = await Promise.all([
			people('a.building_id = :id', { id: area.id }),
			people(`a.grid_id = (SELECT grid_id FROM buildings WHERE id = :id) AND a.role = 'grid_worker'`, { id: area.id })
		]);
		return { level, code, people: [...own, ...grid] };
	}
	return { level, code, people: await people(`a.:column: = :id`, { column: `${level}_id`, id: area.id }) };
}

export interface AssignInput {
	person_code: string;
	role: Role;
	target_code: string;
	valid_from: string;
	reason: string;
}

/** Assigns a role (the level follows from it) in one transaction with an audit row. */
export async function assign(knex: Knex, input: AssignInput, actor: string): Promise<number> {
	const level = ROLE_LEVEL[input.role];
	return knex.transaction(async (trx) => {
		const person = await trx('people').where('code', input.person_code).first('id');
		if (!person) fail(404, `no person with code '${input.person_code}'`);
		const target = await trx(LEVEL_TABLE[level]).where('code', input.target_code).first('id');
		if (!target) fail(404, `no ${level} with code '${input.target_code}' (a ${input.role} is assigned to a ${level})`);
		const duplicate = await trx('assignments')
			.where({ person_id: person.id, role: input.role, [`${level}_id`]: target.id })
			.whereNull('valid_to')
			.first('id');
		if (duplicate) fail(409, `${input.person_code} already holds ${input.role} on ${level} ${input.target_code}`);
		const [{ id }] = await trx('assignments')
			.insert({ person_id: person.id, role: input.role, [`${level}_id`]: target.id, valid_from: input.valid_from, reason: input.reason })
			.returning('id');
		await audit(trx, actor, 'assign', 'assignment', { id, ...input, level });
		forgetTerritories();
		return id;
	});
}

/** Ends an assignment on a date (default today) with a reason; the row stays as history. */
export async function unassign(knex: Knex, id: number, validTo: string, reason: string, actor: string): Promise<void> {
	await knex.transaction(async (trx) => {
		const row = await trx('assignments').where('id', id).first('id', 'valid_from', 'valid_to');
		if (!row) fail(404, `no assignment ${id}`);
		if (row.valid_to) fail(409, `assignment ${id} already ended on ${dateText(row.valid_to)}`);
		if (validTo < dateText(row.valid_from)!) fail(400, `valid_to ${validTo} is before valid_from ${dateText(row.valid_from)}`);
		await trx('assignments').where('id', id).update({ valid_to: validTo, reason });
		await audit(trx, actor, 'unassign', 'assignment', { id, valid_to: validTo, reason });
		forgetTerritories();
	});
}
