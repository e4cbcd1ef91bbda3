/**
 * 三个一 in the sample (issue 14): a deterministic handful of 2026 records per community, so
 * the county table is not empty and some periods are overdue — visits in January to October
 * with a month missing every few, reports in the first three quarters with one missing in
 * some communities, and a first-half joint meeting in two communities of three, each with
 * attendees, two matters raised (one at a point, one without), one resolved on the spot and
 * an agreement. The First Secretary is the community's current one. Demo only.
 */
import type { Knex } from 'knex';
import { held } from '../../src/lib/server/platform/held.js';

export const SAMPLE_YEAR = 2026;
const pad = (n: number) => String(n).padStart(2, '0');

/** Whether community i (by code order) holds visit month m (1–12) in the sample. */
export const sampleVisit = (i: number, m: number) => m <= 10 && (m + i) % 4 !== 0;
/** Whether it holds report quarter q (1–4). */
export const sampleReport = (i: number, q: number) => q <= 3 && (q + i) % 3 !== 0;
/** Whether it holds the first-half meeting. */
export const sampleMeeting = (i: number) => i % 3 !== 1;

export async function setUpThreeOnes(trx: Knex): Promise<number> {
	const { rows: communities } = await trx.raw(`
		SELECT c.id, c.code, c.name,
			(SELECT a.person_id FROM assignments a WHERE a.community_id = c.id AND a.role = 'first_secretary' AND ${held('a')} ORDER BY a.valid_from DESC, a.id LIMIT 1) AS fs,
			(SELECT a.person_id FROM assignments a WHERE a.community_id = c.id AND a.role = 'community_secretary' AND ${held('a')} ORDER BY a.valid_from DESC, a.id LIMIT 1) AS secretary,
			ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat
		FROM communities c ORDER BY c.code`);
	let written = 0;
	const add = async (row: Record<string, unknown>) => {
		written++;
		const [r] = await trx('first_secretary_activities').insert(row).returning('id');
		return Number(r.id);
	};
	for (const [i, c] of (communities as { id: number; name: string; fs: number | null; secretary: number | null; lng: number; lat: number }[]).entries()) {
		if (c.fs === null) continue;
		const base = { community_id: c.id, person_id: c.fs };
		for (let m = 1; m <= 12; m++) {
			if (sampleVisit(i, m)) await add({ ...base, kind: 'visit', held_on: `${SAMPLE_YEAR}-${pad(m)}-${pad(5 + ((i * 3 + m) % 20))}`, place: `${c.name}辖区`, note: '走访驻区单位和困难群众' });
		}
		for (let q = 1; q <= 4; q++) {
			if (sampleReport(i, q)) await add({ ...base, kind: 'report', held_on: `${SAMPLE_YEAR}-${pad(q * 3)}-20`, place: '县委组织部', note: `第${q}季度工作汇报` });
		}
		if (!sampleMeeting(i)) continue;
		const id = await add({ ...base, kind: 'meeting', held_on: `${SAMPLE_YEAR}-06-${pad(10 + i)}`, place: `${c.name}党群服务中心`, note: '上半年共驻共建联席会' });
		const attendees = [{ activity_id: id, person_id: c.fs, name: null as string | null }, ...(c.secretary ? [{ activity_id: id, person_id: c.secretary, name: null }] : [])];
		for (const a of attendees) a.name = (await trx('people').where({ id: a.person_id }).first('name')).name;
		await trx('meeting_attendees').insert([...attendees, { activity_id: id, person_id: null, name: '驻区单位代表' }, { activity_id: id, person_id: null, name: '居民代表' }]);
		await trx.raw(
			`INSERT INTO meeting_matters (activity_id, kind, n, text, geom) VALUES
				(:id, 'raised', 1, '小区背街小巷路灯损坏，夜间出行不便', ST_SetSRID(ST_MakePoint(:lng, :lat), 4326)),
				(:id, 'raised', 2, '老旧小区停车难，占道停车影响通行', NULL),
				(:id, 'resolved', 1, '协调驻区单位开放停车场夜间共享', NULL)`,
			{ id, lng: Number(c.lng), lat: Number(c.lat) }
		);
		await trx('meeting_agreements').insert({ activity_id: id, n: 1, text: '共驻共建协议：驻区单位每季度参与一次志愿服务', parties: [c.name, '驻区单位'] });
	}
	return written;
}
