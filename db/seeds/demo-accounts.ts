/**
 * One demo account per role for the sample, all with DEMO_PASSWORD (default "demo"); the
 * territorial ones belong to real people of the sample so their territory is real too.
 * Demo only: README says so, and a deployment without the sample has none.
 */
import type { Knex } from 'knex';
import { hashPassword, type UserRole } from '../../src/lib/server/accounts/accounts.js';
import { held } from '../../src/lib/server/platform/held.js';

/** The community whose people the demo accounts are: 桂园林社区. */
const DEMO_COMMUNITY = '510522100006';

export const DEMO_USERNAMES: Record<UserRole, string> = {
	admin: 'demo-admin',
	planner: 'demo-planner',
	housing: 'demo-housing',
	department: 'demo-department',
	community_admin: 'demo-community',
	grid_worker: 'demo-grid',
	building_head: 'demo-building'
};

const CURRENT = held('a');

export async function createDemoAccounts(trx: Knex, password = process.env.DEMO_PASSWORD || 'demo'): Promise<number> {
	const first = async (sql: string) => (await trx.raw(sql, { community: DEMO_COMMUNITY })).rows[0] ?? null;
	const secretary = await first(`
		SELECT a.person_id AS id FROM assignments a JOIN communities c ON c.id = a.community_id
		WHERE c.code = :community AND a.role = 'community_secretary' AND ${CURRENT} ORDER BY a.id LIMIT 1`);
	const gridWorker = await first(`
		SELECT a.person_id AS id, a.grid_id FROM assignments a JOIN grids g ON g.id = a.grid_id JOIN communities c ON c.id = g.community_id
		WHERE c.code = :community AND a.role = 'grid_worker' AND ${CURRENT} ORDER BY g.code LIMIT 1`);
	const buildingHead = gridWorker
		? (
				await trx.raw(
					// Prefer a building with issues, so the demo shows a building head something.
					`SELECT a.person_id AS id FROM assignments a JOIN buildings b ON b.id = a.building_id
					 WHERE b.grid_id = :grid AND a.role = 'building_head' AND ${CURRENT}
					 ORDER BY EXISTS (SELECT 1 FROM issues i WHERE ST_Covers(b.geom, i.geom)) DESC, b.code LIMIT 1`,
					{ grid: gridWorker.grid_id }
				)
			).rows[0]
		: null;
	const department = (await trx('departments').where('name', 'like', '%住建%').first('id')) ?? (await trx('departments').orderBy('code').first('id'));

	const accounts: { role: UserRole; person_id?: number | null; department_id?: number | null }[] = [
		{ role: 'admin' },
		{ role: 'planner' },
		{ role: 'housing' },
		{ role: 'department', department_id: department?.id ?? null },
		{ role: 'community_admin', person_id: secretary?.id ?? null },
		{ role: 'grid_worker', person_id: gridWorker?.id ?? null },
		{ role: 'building_head', person_id: buildingHead?.id ?? null }
	];
	const hash = await hashPassword(password);
	for (const account of accounts) {
		await trx('users')
			.insert({
				username: DEMO_USERNAMES[account.role],
				password_hash: hash,
				role: account.role,
				person_id: account.person_id ?? null,
				department_id: account.department_id ?? null
			})
			.onConflict('username')
			.merge();
	}
	return accounts.length;
}

/**
 * The demo department (县住建局) becomes a liaison unit (联系单位, not the lead) of the demo
 * community, so the demo accounts can walk 社区吹哨·部门报到 together: the community picks its
 * own liaison, and the department finds the case in its list (issue 21).
 */
export async function linkDemoDepartment(trx: Knex): Promise<boolean> {
	const community = await trx('communities').where({ code: DEMO_COMMUNITY }).first('id');
	const account = await trx('users').where({ username: DEMO_USERNAMES.department }).first('department_id');
	if (!community || !account?.department_id) return false;
	await trx('community_liaisons').insert({ community_id: community.id, department_id: account.department_id, is_lead: false }).onConflict(['community_id', 'department_id']).ignore();
	return true;
}
