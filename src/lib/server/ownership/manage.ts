/**
 * Who may change rosters (`roster.edit` in the permission table): an admin anywhere; a
 * community admin inside their community (the community itself, its grids, compounds and
 * buildings). Everyone else reads only. The refusals keep their own wording ("a planner may
 * not change assignments"), so they are made here rather than by the HTTP layer's allow().
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import type { AreaLevel } from '../../domain/glossary.js';
import { LEVEL_TABLE } from '../platform/tables.js';
import { scopeFor, scopeFilter } from './territory.js';
import { fail } from '../platform/errors.js';
import { may, reachOf } from '../accounts/permissions.js';

export async function mayManage(knex: Knex, user: User, level: AreaLevel, code: string): Promise<void> {
	if (!may(user, 'roster.edit')) fail(403, `a ${user.role} may not change assignments`);
	if (reachOf(user, 'roster.edit') === 'any') return;
	const scope = await scopeFor(knex, user);
	// Inside the community: the target's point on surface lies in the territory.
	const inside = scopeFilter(scope, 'ST_PointOnSurface(t.geom)', 'point');
	const { rows } = await knex.raw(`SELECT ${inside.sql} AS ok FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code`, { code, ...inside.bindings });
	if (rows.length && !may(user, 'roster.edit', { inTerritory: rows[0].ok })) fail(403, `${level} ${code} is outside your community`);
}

export async function mayManageAssignment(knex: Knex, user: User, id: number): Promise<void> {
	const { rows } = await knex.raw(
		`SELECT CASE WHEN building_id IS NOT NULL THEN 'building' WHEN grid_id IS NOT NULL THEN 'grid'
			WHEN compound_id IS NOT NULL THEN 'compound' WHEN community_id IS NOT NULL THEN 'community' ELSE 'street' END AS level,
			coalesce((SELECT code FROM buildings WHERE id = a.building_id), (SELECT code FROM grids WHERE id = a.grid_id),
			         (SELECT code FROM compounds WHERE id = a.compound_id), (SELECT code FROM communities WHERE id = a.community_id),
			         (SELECT code FROM streets WHERE id = a.street_id)) AS code
		 FROM assignments a WHERE a.id = :id`,
		{ id }
	);
	if (!rows.length) fail(404, `no assignment ${id}`);
	await mayManage(knex, user, rows[0].level, rows[0].code);
}
