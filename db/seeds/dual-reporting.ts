/**
 * 双报到 in the sample (issue 14, part 4): a deterministic handful — in each community two
 * members from each of its first two liaison departments (lead unit first), living in the
 * community's first buildings by code, and one member of a hospital (a unit, not a county
 * department) in the first community; one member of the 住建 department (the demo department
 * account's) living in a community it does not liaise with; in each community a service item
 * posted by the community (three slots) at its centre, claimed by its first two members, the
 * first one done with hours in every other community; in the first two communities with an
 * open demand an item from it, the first claimed and done, the second left unclaimed. Demo only.
 */
import type { Knex } from 'knex';
import { SERVICE_CATEGORIES } from '../../src/lib/domain/service-lists.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['建国', '秀英', '志强', '丽华', '海燕', '德明', '晓东', '玉兰', '伟', '静', '勇', '敏', '军', '芳', '杰', '娟'];
const ITEMS: Record<string, string> = {
	party_building: '党员先锋岗值守',
	culture_sports: '社区文艺汇演排练',
	poverty_relief: '困难家庭入户帮扶',
	health: '健康义诊志愿服务',
	volunteering: '小区环境卫生清扫'
};

export async function setUpDualReporting(trx: Knex): Promise<number> {
	const { rows: communities } = await trx.raw(`
		SELECT c.id, c.code, c.name, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat,
			ARRAY(SELECT l.department_id FROM community_liaisons l WHERE l.community_id = c.id ORDER BY l.is_lead DESC, l.department_id LIMIT 2) AS departments,
			ARRAY(SELECT b.id FROM buildings b WHERE ST_Covers(c.geom, b.anchor) ORDER BY b.code LIMIT 5) AS buildings
		FROM communities c ORDER BY c.code`);
	let written = 0;
	let n = 0;
	const name = () => {
		const s = `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`;
		n++;
		return s;
	};
	const member = async (row: Record<string, unknown>) => {
		const [r] = await trx('party_members').insert({ registered_on: '2026-03-01', created_by: 'system', ...row }).returning('id');
		written++;
		return Number(r.id);
	};
	const claim = async (item: number, memberId: number, done: { on: string; hours: number; people: number } | null) => {
		await trx('service_claims').insert({
			item_id: item, member_id: memberId, claimed_at: '2026-07-01T09:00:00+08:00', recorded_by: 'system',
			done_on: done?.on ?? null, hours: done?.hours ?? null, people_served: done?.people ?? null
		});
		written++;
	};
	const type = communities as { id: number; code: string; name: string; lng: number; lat: number; departments: number[]; buildings: number[] }[];
	for (const [i, c] of type.entries()) {
		const members: number[] = [];
		let k = 0;
		for (const department of c.departments) {
			for (let j = 0; j < 2; j++) {
				members.push(await member({ name: name(), department_id: department, community_id: c.id, building_id: c.buildings[k % Math.max(c.buildings.length, 1)] ?? null }));
				k++;
			}
		}
		if (i === 0) members.push(await member({ name: name(), unit_name: '县人民医院', community_id: c.id, building_id: c.buildings[0] ?? null }));
		const category = SERVICE_CATEGORIES[(i + 2) % SERVICE_CATEGORIES.length];
		const { rows } = await trx.raw(
			`INSERT INTO service_items (community_id, category, title, description, slots, posted_by, posted_at, geom)
			 VALUES (:id, :category, :title, :description, 3, 'system', '2026-06-20T09:00:00+08:00', ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)) RETURNING id`,
			{ id: c.id, category, title: `${ITEMS[category]}（${c.name}）`, description: `${c.name}党群服务中心发布`, lng: Number(c.lng), lat: Number(c.lat) }
		);
		written++;
		const item = Number(rows[0].id);
		if (members[0]) await claim(item, members[0], i % 2 === 0 ? { on: '2026-07-12', hours: 2.5 + (i % 3), people: 10 + i } : null);
		if (members[1]) await claim(item, members[1], null);
	}
	// Two open demands taken onto the claim list: the first claimed and done, the second not yet.
	const { rows: open } = await trx.raw(`
		SELECT d.id, d.community_id, d.category, d.title FROM demands d
		WHERE d.status = 'open' AND NOT EXISTS (SELECT 1 FROM service_projects p WHERE p.demand_id = d.id)
			AND EXISTS (SELECT 1 FROM community_liaisons l WHERE l.community_id = d.community_id)
		ORDER BY d.id LIMIT 2`);
	for (const [i, d] of (open as { id: number; community_id: number; category: string; title: string }[]).entries()) {
		const { rows } = await trx.raw(
			`INSERT INTO service_items (community_id, demand_id, category, title, slots, posted_by, posted_at, geom)
			 SELECT d.community_id, d.id, d.category, d.title, 2, 'system', '2026-06-25T09:00:00+08:00', d.geom FROM demands d WHERE d.id = :id RETURNING id`,
			{ id: d.id }
		);
		written++;
		if (i > 0) continue;
		const first = await trx('party_members').where({ community_id: d.community_id }).orderBy('id').first('id');
		if (first) await claim(Number(rows[0].id), first.id, { on: '2026-07-20', hours: 3, people: 25 });
	}
	// The demo department account's department: one of its members lives where it has no liaison.
	const department = (await trx('departments').where('name', 'like', '%住建%').first('id')) ?? (await trx('departments').orderBy('code').first('id'));
	if (department) {
		const away = await trx.raw(
			`SELECT c.id, (SELECT b.id FROM buildings b WHERE ST_Covers(c.geom, b.anchor) ORDER BY b.code LIMIT 1) AS building FROM communities c
			 WHERE NOT EXISTS (SELECT 1 FROM community_liaisons l WHERE l.community_id = c.id AND l.department_id = :dep) ORDER BY c.code LIMIT 1`,
			{ dep: department.id }
		);
		if (away.rows[0]) await member({ name: name(), department_id: department.id, community_id: away.rows[0].id, building_id: away.rows[0].building });
	}
	return written;
}
