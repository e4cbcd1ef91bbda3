/**
 * 考核评价 in the sample (issue 14, part 5): for the sample's year (2026, the year of its
 * "today"), a self-report (晒绩自评) from the first four communities by code, the county's
 * score (组织考评) for the first two of them, and a self-report from the demo department.
 * Deterministic; demo only.
 */
import type { Knex } from 'knex';

const YEAR = 2026;
const REPORTS = [
	'全年开展主题党日活动12次，网格员巡查上报问题按时办结，老旧小区改造顺利推进。',
	'建成红色物业示范小区2个，群众满意度稳步提升，联席会议题全部落实。',
	'完成积水点整治3处，双报到党员参与志愿服务超过500人次。',
	'推进三张清单项目落地，困难群众帮扶实现全覆盖。'
];
const SCORES = [92.5, 86];

export async function setUpEvaluation(trx: Knex): Promise<number> {
	const communities: { id: number }[] = await trx('communities').orderBy('code').limit(REPORTS.length).select('id');
	let written = 0;
	for (const [i, c] of communities.entries()) {
		await trx('evaluations').insert({ year: YEAR, community_id: c.id, self_report: REPORTS[i], county_score: SCORES[i] ?? null, updated_by: 'system' });
		written++;
	}
	const department = await trx('users').where({ username: 'demo-department' }).first('department_id');
	if (department?.department_id) {
		await trx('evaluations').insert({ year: YEAR, department_id: department.department_id, self_report: '牵头联系社区问题按时报到，资源清单项目按期推进。', updated_by: 'system' });
		written++;
	}
	return written;
}
