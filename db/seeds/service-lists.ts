/**
 * 三张清单 in the sample (issue 14, part 3): a deterministic handful — each community's lead
 * (else first) liaison department offers a county-wide resource in the community's category
 * (categories taken in turn by code order), plus one unit's resource; a demand in each
 * community at its centre; and, in the first six communities that held a joint meeting, a
 * project agreed there matching the demand to the resource (in progress, half done). Demo only.
 */
import type { Knex } from 'knex';
import { SERVICE_CATEGORIES } from '../../src/lib/domain/service-lists.js';

const TITLES: Record<string, [string, string]> = {
	party_building: ['主题党日活动组织', '需要开展主题党日活动'],
	culture_sports: ['文体活动器材与指导', '缺少健身器材和文体活动场地'],
	poverty_relief: ['困难群众帮扶慰问', '困难家庭需要帮扶慰问'],
	health: ['义诊与健康讲座', '老年人需要定期义诊'],
	volunteering: ['志愿服务队', '独居老人需要志愿者上门服务']
};

export async function setUpServiceLists(trx: Knex): Promise<number> {
	const { rows: communities } = await trx.raw(`
		SELECT c.id, c.code, c.name, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat,
			(SELECT l.department_id FROM community_liaisons l WHERE l.community_id = c.id ORDER BY l.is_lead DESC, l.department_id LIMIT 1) AS department_id,
			(SELECT a.id FROM first_secretary_activities a WHERE a.community_id = c.id AND a.kind = 'meeting' ORDER BY a.held_on, a.id LIMIT 1) AS meeting_id
		FROM communities c ORDER BY c.code`);
	let written = 0;
	let projects = 0;
	await trx('resources')
		.insert({ unit_name: '县人民医院', category: 'health', title: '家庭医生签约服务', description: '驻区医院家庭医生进社区', capacity: '每月两次', created_by: 'system' })
	written++;
	for (const [i, c] of (communities as { id: number; code: string; name: string; lng: number; lat: number; department_id: number | null; meeting_id: number | null }[]).entries()) {
		const category = SERVICE_CATEGORIES[i % SERVICE_CATEGORIES.length];
		const [resourceTitle, demandTitle] = TITLES[category];
		let resourceId: number | null = null;
		if (c.department_id !== null) {
			const [r] = await trx('resources')
				.insert({ department_id: c.department_id, category, title: `${resourceTitle}（${c.name}）`, capacity: '每季度一次', created_by: 'system' })
				.returning('id');
			resourceId = Number(r.id);
			written++;
		}
		const { rows } = await trx.raw(
			`INSERT INTO demands (community_id, category, title, description, geom) VALUES (:id, :category, :title, :description, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) RETURNING id`,
			{ id: c.id, category, title: demandTitle, description: `${c.name}居民反映`, lng: Number(c.lng), lat: Number(c.lat) }
		);
		written++;
		if (c.meeting_id === null || resourceId === null || projects >= 6) continue;
		await trx('service_projects').insert({
			meeting_id: c.meeting_id, community_id: c.id, category, title: `${resourceTitle}进${c.name}`, demand_id: rows[0].id, resource_id: resourceId,
			status: 'in_progress', progress_pct: 50, started_on: '2026-07-01', created_by: 'system'
		});
		await trx('demands').where({ id: rows[0].id }).update({ status: 'matched' });
		projects++;
		written++;
	}
	return written;
}
