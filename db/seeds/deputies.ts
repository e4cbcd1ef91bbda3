/**
 * 兼职副书记 in the sample (issue 14, part 1): each liaison department names one of its own
 * people part-time deputy secretary in each community it liaises with — its n-th community
 * (by id) gets its n-th person (by code), so no one holds two posts while the department has
 * people enough. Demo only.
 */
import type { Knex } from 'knex';

export async function setUpDeputies(trx: Knex): Promise<number> {
	const { rows } = await trx.raw(`
		WITH links AS (
			SELECT l.id, l.department_id, row_number() OVER (PARTITION BY l.department_id ORDER BY l.community_id) AS k FROM community_liaisons l
		), staff AS (
			SELECT p.id, p.department_id, row_number() OVER (PARTITION BY p.department_id ORDER BY p.code) AS k FROM people p WHERE p.department_id IS NOT NULL
		)
		UPDATE community_liaisons l SET deputy_person_id = s.id
		FROM links x JOIN staff s ON s.department_id = x.department_id AND s.k = x.k
		WHERE l.id = x.id RETURNING l.id`);
	return rows.length;
}
