/**
 * 三个一 (issue 14, part 2): each community's First Secretary (第一书记, the person holding its
 * current `first_secretary` assignment) owes it a visit a month (走访), a report a quarter
 * (汇报) and a joint meeting (共驻共建联席会) every half-year. A period is owed when it overlaps
 * the First Secretary's tenure; it is held when the community has a record of that kind on a
 * China day inside it, overdue when it has ended (today, China time, is past its last day)
 * without one. Records are kept per community: a First Secretary who takes over mid-year
 * keeps the months already held.
 *
 * A joint meeting's record holds its attendees, the matters raised (each may become a case at
 * its point in one step, linked back: POST /api/meetings/{id}/matters/{n}/case), the matters
 * resolved on the spot and the agreements signed.
 *
 * Who records: admins anywhere; community admins for a community they administer; the First
 * Secretary's own account for their community. The community must lie in the caller's
 * territory. Every write is one transaction with an audit row.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { reachOf } from '../accounts/permissions.js';
import { administers, scopeFilter, type Scope } from '../ownership/territory.js';
import { held } from '../platform/held.js';
import * as cases from '../cases/cases.js';
import { chinaDay } from '../../domain/work-calendar.js';

import { ACTIVITY_KINDS, PERIOD_STATUSES, type ActivityKind, type PeriodStatus } from '../../domain/three-ones.js';
import { audit } from '../platform/audit.js';

export { ACTIVITY_KINDS, PERIOD_STATUSES, type ActivityKind, type PeriodStatus };
/** How many periods of each kind a year has: months, quarters, half-years. */
export const PERIODS_PER_YEAR: Record<ActivityKind, number> = { visit: 12, report: 4, meeting: 2 };
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export interface Period {
	n: number;
	/** first day, YYYY-MM-DD */
	from: string;
	/** the day after the last, YYYY-MM-DD */
	to: string;
	/** records of the kind inside it */
	count: number;
	status: PeriodStatus;
}

export interface Obligation {
	/** periods owed this year */
	planned: number;
	/** owed periods with a record */
	held: number;
	/** owed periods that have ended without one */
	overdue: number;
	periods: Period[];
}

export interface CommunityThreeOnes {
	code: string;
	name: string;
	street: string;
	first_secretary: { code: string; name: string; since: string } | null;
	visit: Obligation;
	report: Obligation;
	meeting: Obligation;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The periods of a kind in a year: [from, to) as days. */
export function periodsOf(kind: ActivityKind, year: number): { n: number; from: string; to: string }[] {
	const months = 12 / PERIODS_PER_YEAR[kind];
	return Array.from({ length: PERIODS_PER_YEAR[kind] }, (_, i) => {
		const start = i * months + 1;
		const end = start + months;
		return { n: i + 1, from: `${year}-${pad(start)}-01`, to: end > 12 ? `${year + 1}-01-01` : `${year}-${pad(end)}-01` };
	});
}

/** Obligations of one community from its First Secretary's tenure and its record days. */
export function obligation(kind: ActivityKind, year: number, tenure: { from: string; to: string | null } | null, days: string[], today: string): Obligation {
	const periods = periodsOf(kind, year).map((p): Period => {
		const count = days.filter((d) => d >= p.from && d < p.to).length;
		const owed = tenure !== null && p.to > tenure.from && (tenure.to === null || p.from < tenure.to);
		const status: PeriodStatus = !owed ? 'not_owed' : count > 0 ? 'held' : today >= p.to ? 'overdue' : today >= p.from ? 'due' : 'upcoming';
		return { ...p, count, status };
	});
	const owed = periods.filter((p) => p.status !== 'not_owed');
	return { planned: owed.length, held: owed.filter((p) => p.status === 'held').length, overdue: owed.filter((p) => p.status === 'overdue').length, periods };
}

const CURRENT = held('a');

/** Communities in the scope with their current First Secretary; `code` narrows to one. */
async function communitiesWithSecretary(knex: Knex, scope: Scope, code?: string) {
	const inScope = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(
		`SELECT c.id, c.code, c.name, s.name AS street, p.id AS person_id, p.code AS person_code, p.name AS person_name,
			to_char(fs.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(fs.valid_to, 'YYYY-MM-DD') AS valid_to, ${inScope.sql} AS mine
		FROM communities c JOIN streets s ON s.id = c.street_id
		LEFT JOIN LATERAL (SELECT a.person_id, a.valid_from, a.valid_to FROM assignments a
			WHERE a.community_id = c.id AND a.role = 'first_secretary' AND ${CURRENT} ORDER BY a.valid_from DESC, a.id LIMIT 1) fs ON true
		LEFT JOIN people p ON p.id = fs.person_id
		WHERE (CAST(:code AS text) IS NULL OR c.code = :code) AND (CAST(:code AS text) IS NOT NULL OR ${inScope.sql})
		ORDER BY c.code`,
		{ ...inScope.bindings, code: code ?? null }
	);
	return rows as {
		id: number; code: string; name: string; street: string; person_id: number | null; person_code: string | null; person_name: string | null;
		valid_from: string | null; valid_to: string | null; mine: boolean;
	}[];
}

/** 三个一 for every community the caller may read, in a year; `today` (China day) decides what is overdue. */
export async function table(knex: Knex, scope: Scope, year: number, today = chinaDay()): Promise<CommunityThreeOnes[]> {
	const communities = await communitiesWithSecretary(knex, scope);
	return summarise(knex, communities, year, today);
}

async function summarise(knex: Knex, communities: Awaited<ReturnType<typeof communitiesWithSecretary>>, year: number, today: string): Promise<CommunityThreeOnes[]> {
	const { rows } = await knex.raw(
		`SELECT community_id, kind, to_char(held_on, 'YYYY-MM-DD') AS day FROM first_secretary_activities
		 WHERE held_on >= :from AND held_on < :to AND community_id = ANY(:ids)`,
		{ from: `${year}-01-01`, to: `${year + 1}-01-01`, ids: communities.map((c) => c.id) }
	);
	const days = new Map<string, string[]>();
	for (const r of rows as { community_id: number; kind: string; day: string }[]) {
		const key = `${r.community_id}:${r.kind}`;
		days.set(key, [...(days.get(key) ?? []), r.day]);
	}
	return communities.map((c) => {
		const tenure = c.valid_from ? { from: c.valid_from, to: c.valid_to } : null;
		const of = (kind: ActivityKind) => obligation(kind, year, tenure, days.get(`${c.id}:${kind}`) ?? [], today);
		return {
			code: c.code,
			name: c.name,
			street: c.street,
			first_secretary: c.person_code ? { code: c.person_code, name: c.person_name!, since: c.valid_from! } : null,
			visit: of('visit'),
			report: of('report'),
			meeting: of('meeting')
		};
	});
}

export interface ActivityRow {
	id: number;
	kind: ActivityKind;
	held_on: string;
	place: string | null;
	note: string | null;
	person: string | null;
	recorded_by: string | null;
}

/** One community's 三个一 in a year with its records; null when unknown or outside the scope. */
export async function forCommunity(knex: Knex, scope: Scope, code: string, year: number, today = chinaDay()): Promise<(CommunityThreeOnes & { activities: ActivityRow[]; lng: number; lat: number }) | null> {
	const [community] = await communitiesWithSecretary(knex, scope, code);
	if (!community || !community.mine) return null;
	const [summary] = await summarise(knex, [community], year, today);
	const { rows } = await knex.raw(
		`SELECT a.id, a.kind, to_char(a.held_on, 'YYYY-MM-DD') AS held_on, a.place, a.note, p.name AS person, u.username AS recorded_by
		 FROM first_secretary_activities a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN users u ON u.id = a.recorded_by
		 WHERE a.community_id = :id AND a.held_on >= :from AND a.held_on < :to ORDER BY a.held_on DESC, a.id DESC`,
		{ id: community.id, from: `${year}-01-01`, to: `${year + 1}-01-01` }
	);
	const { rows: centre } = await knex.raw(`SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities WHERE id = :id) x`, { id: community.id });
	return { ...summary, activities: rows, lng: Number(centre[0].lng), lat: Number(centre[0].lat) };
}

// ---------------------------------------------------------------- recording

interface Recordable {
	id: number;
	code: string;
	person_id: number;
}

/**
 * The community a caller records for: 404 unknown, 403 outside their territory or not theirs
 * to record (admins; its community admins; its First Secretary's own account), 409 without a
 * First Secretary.
 */
async function recordable(knex: Knex, user: User, scope: Scope, code: string): Promise<Recordable> {
	const [c] = await communitiesWithSecretary(knex, scope, code);
	if (!c) fail(404, `no community with code '${code}'`);
	if (!c.mine) fail(403, `community '${code}' lies outside your territory`);
	await mayRecord(knex, user, c.id, c.person_id, code);
	if (c.person_id === null) fail(409, `community '${code}' has no First Secretary today`);
	return { id: c.id, code: c.code, person_id: c.person_id };
}

async function mayRecord(knex: Knex, user: User, communityId: number, secretaryId: number | null, code: string): Promise<void> {
	// County-wide, or the First Secretary's own account (whatever its role); else a community it administers.
	if (reachOf(user, 'three-ones.record') === 'any' || (user.person_id != null && user.person_id === secretaryId)) return;
	if (await administers(knex, user, communityId)) return;
	fail(403, `a ${user.role} account may not record 三个一 for community '${code}'`);
}

export interface ActivityInput {
	kind: ActivityKind;
	community_code: string;
	held_on: string;
	place?: string;
	note?: string;
}

export interface RaisedMatter {
	text: string;
	point: [number, number] | null;
}

export interface MeetingInput {
	community_code: string;
	held_on: string;
	place: string;
	note?: string;
	attendees: string[];
	attendee_codes: string[];
	raised: RaisedMatter[];
	resolved: string[];
	agreements: { text: string; parties: string[] }[];
}

async function insertActivity(trx: Knex, c: Recordable, user: User, input: { kind: ActivityKind; held_on: string; place?: string; note?: string }): Promise<number> {
	const [row] = await trx('first_secretary_activities')
		.insert({ kind: input.kind, community_id: c.id, person_id: c.person_id, held_on: input.held_on, place: input.place ?? null, note: input.note ?? null, recorded_by: user.id })
		.returning('id');
	return Number(row.id);
}

/** Records a visit or a report. */
export async function recordActivity(knex: Knex, user: User, scope: Scope, input: ActivityInput): Promise<number> {
	const c = await recordable(knex, user, scope, input.community_code);
	return knex.transaction(async (trx) => {
		const id = await insertActivity(trx, c, user, input);
		await audit(trx, user, `record_${input.kind}`, `three_ones:${id}`, { community: c.code, held_on: input.held_on });
		return id;
	});
}

/** Records a joint meeting with its attendees, matters and agreements; its id. */
export async function recordMeeting(knex: Knex, user: User, scope: Scope, input: MeetingInput): Promise<number> {
	const c = await recordable(knex, user, scope, input.community_code);
	const people: { id: number; name: string }[] = [];
	for (const [i, code] of input.attendee_codes.entries()) {
		const p = await knex('people').where({ code }).first('id', 'name');
		if (!p) fail(400, `attendee_codes[${i}] '${code}' names no person`);
		people.push(p);
	}
	const inScope = scopeFilter(scope, 'p.g', 'point');
	for (const [i, m] of input.raised.entries()) {
		if (!m.point) continue;
		const { rows } = await knex.raw(
			`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS g)
			 SELECT inside_county(p.g) AS in_county, ${inScope.sql} AS mine FROM p`,
			{ ...inScope.bindings, lng: m.point[0], lat: m.point[1] }
		);
		if (!rows[0].in_county || !rows[0].mine) fail(400, `raised[${i}]: the point [${m.point.join(', ')}] is outside your territory`);
	}
	return knex.transaction(async (trx) => {
		const id = await insertActivity(trx, c, user, { kind: 'meeting', held_on: input.held_on, place: input.place, note: input.note });
		const attendees = [...people.map((p) => ({ activity_id: id, name: p.name, person_id: p.id })), ...input.attendees.map((name) => ({ activity_id: id, name, person_id: null }))];
		if (attendees.length) await trx('meeting_attendees').insert(attendees);
		for (const [i, m] of input.raised.entries()) {
			await trx.raw(
				`INSERT INTO meeting_matters (activity_id, kind, n, text, geom)
				 VALUES (:id, 'raised', :n, :text, CASE WHEN CAST(:lng AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) END)`,
				{ id, n: i + 1, text: m.text, lng: m.point?.[0] ?? null, lat: m.point?.[1] ?? null }
			);
		}
		if (input.resolved.length) await trx('meeting_matters').insert(input.resolved.map((text, i) => ({ activity_id: id, kind: 'resolved', n: i + 1, text })));
		if (input.agreements.length) await trx('meeting_agreements').insert(input.agreements.map((a, i) => ({ activity_id: id, n: i + 1, text: a.text, parties: a.parties })));
		await audit(trx, user, 'record_meeting', `meeting:${id}`, { community: c.code, held_on: input.held_on, attendees: attendees.length, raised: input.raised.length, resolved: input.resolved.length, agreements: input.agreements.length });
		return id;
	});
}

export interface Meeting {
	id: number;
	community: { code: string; name: string; lng: number; lat: number };
	first_secretary: string | null;
	held_on: string;
	place: string | null;
	note: string | null;
	recorded_by: string | null;
	attendees: { name: string; person_code: string | null }[];
	raised: { n: number; text: string; lng: number | null; lat: number | null; case_code: string | null }[];
	resolved: { n: number; text: string }[];
	agreements: { n: number; text: string; parties: string[] }[];
	/** whether the caller may record for this community (and so turn matters into cases) */
	can_record: boolean;
}

/** A meeting as the caller may read it; null when unknown or outside their territory. */
export async function meeting(knex: Knex, user: User, scope: Scope, id: number): Promise<Meeting | null> {
	const inScope = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(
		`SELECT a.id, a.community_id, a.person_id, to_char(a.held_on, 'YYYY-MM-DD') AS held_on, a.place, a.note, u.username AS recorded_by, p.name AS first_secretary,
			c.code, c.name, ST_X(ST_PointOnSurface(c.geom)) AS lng, ST_Y(ST_PointOnSurface(c.geom)) AS lat,
			(SELECT fs.person_id FROM assignments fs WHERE fs.community_id = c.id AND fs.role = 'first_secretary' AND ${held('fs')} ORDER BY fs.valid_from DESC, fs.id LIMIT 1) AS secretary_now
		 FROM first_secretary_activities a JOIN communities c ON c.id = a.community_id
		 LEFT JOIN people p ON p.id = a.person_id LEFT JOIN users u ON u.id = a.recorded_by
		 WHERE a.id = :id AND a.kind = 'meeting' AND ${inScope.sql}`,
		{ ...inScope.bindings, id }
	);
	const m = rows[0];
	if (!m) return null;
	const attendees = (await knex.raw(`SELECT t.name, p.code AS person_code FROM meeting_attendees t LEFT JOIN people p ON p.id = t.person_id WHERE t.activity_id = :id ORDER BY t.id`, { id })).rows;
	const matters = (
		await knex.raw(
			`SELECT m.kind, m.n, m.text, ST_X(m.geom) AS lng, ST_Y(m.geom) AS lat, i.code AS case_code
			 FROM meeting_matters m LEFT JOIN issues i ON i.id = m.issue_id WHERE m.activity_id = :id ORDER BY m.kind, m.n`,
			{ id }
		)
	).rows as { kind: string; n: number; text: string; lng: number | null; lat: number | null; case_code: string | null }[];
	const agreements = (await knex.raw(`SELECT n, text, parties FROM meeting_agreements WHERE activity_id = :id ORDER BY n`, { id })).rows;
	let canRecord = true;
	try {
		await mayRecord(knex, user, m.community_id, m.secretary_now, m.code);
	} catch {
		canRecord = false;
	}
	const num = (v: unknown) => (v == null ? null : Number(v));
	return {
		id: m.id,
		community: { code: m.code, name: m.name, lng: Number(m.lng), lat: Number(m.lat) },
		first_secretary: m.first_secretary,
		held_on: m.held_on,
		place: m.place,
		note: m.note,
		recorded_by: m.recorded_by,
		attendees,
		raised: matters.filter((x) => x.kind === 'raised').map((x) => ({ n: x.n, text: x.text, lng: num(x.lng), lat: num(x.lat), case_code: x.case_code })),
		resolved: matters.filter((x) => x.kind === 'resolved').map((x) => ({ n: x.n, text: x.text })),
		agreements,
		can_record: canRecord
	};
}

export interface MatterCaseInput {
	category: string;
	matter_type: cases.ReportInput['matter_type'];
	urgency: cases.ReportInput['urgency'];
	description?: string;
	point: [number, number] | null;
}

/**
 * Turns matter n raised at a meeting into a case at its point (or the point given, when the
 * matter has none), source joint_meeting, and links it back — one transaction holding the
 * matter's row, so a second call (even a concurrent one) is a 409 naming the case.
 */
export async function matterToCase(knex: Knex, user: User, scope: Scope, meetingId: number, n: number, input: MatterCaseInput): Promise<{ code: string; status: string; due_at: string | null }> {
	const inScope = scopeFilter(scope, 'c.geom', 'area');
	const { rows } = await knex.raw(
		`SELECT a.community_id, c.code, ${inScope.sql} AS mine,
			(SELECT fs.person_id FROM assignments fs WHERE fs.community_id = c.id AND fs.role = 'first_secretary' AND ${held('fs')} ORDER BY fs.valid_from DESC, fs.id LIMIT 1) AS secretary_now
		 FROM first_secretary_activities a JOIN communities c ON c.id = a.community_id WHERE a.id = :id AND a.kind = 'meeting'`,
		{ ...inScope.bindings, id: meetingId }
	);
	const m = rows[0];
	if (!m || !m.mine) fail(404, `no meeting ${meetingId}`);
	await mayRecord(knex, user, m.community_id, m.secretary_now, m.code);
	return knex.transaction(async (trx) => {
		const { rows: matters } = await trx.raw(
			`SELECT m.id, m.text, ST_X(m.geom) AS lng, ST_Y(m.geom) AS lat, i.code AS case_code
			 FROM meeting_matters m LEFT JOIN issues i ON i.id = m.issue_id
			 WHERE m.activity_id = :id AND m.kind = 'raised' AND m.n = :n FOR UPDATE OF m`,
			{ id: meetingId, n }
		);
		const matter = matters[0];
		if (!matter) fail(404, `meeting ${meetingId} has no matter ${n}`);
		if (matter.case_code) fail(409, `matter ${n} of meeting ${meetingId} already became case ${matter.case_code}`);
		const point: [number, number] | null = matter.lng != null ? [Number(matter.lng), Number(matter.lat)] : input.point;
		if (!point) fail(400, `lng and lat are required: matter ${n} has no point`);
		const text: string = matter.text;
		const line = text.split(/\r?\n/)[0].trim();
		const created = await cases.create(trx, { user, name: user.username }, scope, {
			category: input.category,
			matter_type: input.matter_type,
			urgency: input.urgency,
			title: line.length > 40 ? `${line.slice(0, 40)}…` : line,
			description: input.description ?? `联席会议题:${text}`,
			lng: point[0],
			lat: point[1],
			photos: [],
			resolved_on_site: false,
			source: 'joint_meeting'
		});
		await trx.raw(`UPDATE meeting_matters SET issue_id = (SELECT id FROM issues WHERE code = :code) WHERE id = :id`, { code: created.code, id: matter.id });
		await audit(trx, user, 'meeting_matter_to_case', `meeting:${meetingId}`, { matter: n, case: created.code, point });
		return { code: created.code, status: created.status, due_at: created.due_at };
	});
}

/** Whether the user may record 三个一 (and turn matters into cases) for a community: for pages. */
export async function canRecord(knex: Knex, user: User, scope: Scope, code: string): Promise<boolean> {
	try {
		await recordable(knex, user, scope, code);
		return true;
	} catch {
		return false;
	}
}

/** The active case categories a meeting's matter may become, in the ledger's order. */
export async function matterCategories(knex: Knex): Promise<string[]> {
	return knex('case_categories').where({ active: true }).orderBy('sort').pluck('code');
}
