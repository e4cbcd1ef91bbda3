/**
 * The reporter's private link (issue 21): a resident who reported on the public form holds a
 * secret (the token of /report/{code}?token=…; the case keeps only its hash) that shows them
 * how their report stands — its timeline, the public replies, the photos of the report and of
 * its resolution — and lets them rate it once resolved or reopen it within 14 days of the
 * resolution when the problem is still there. Staff notes never reach this link: only what
 * case-publication.ts lets leave a case, the public reply of a transition. http/case-reporter.ts
 * serves the link.
 */
import type { Knex } from 'knex';
import { fail } from '../platform/errors.js';
import { transitionRules } from './case-rules.js';
import { attachPhotos, photoBytes, type PhotoBytes } from './case-photos.js';
import { hashToken, writeEvent, RATABLE } from './cases.js';
import type { IssueStatus } from '../../domain/glossary.js';

/** How long after its resolution a reporter may reopen a case: two weeks, as a fix that did not hold shows by then. */
export const REOPEN_DAYS = 14;
const DAY_MS = 86_400_000;

/** One step of the timeline as the reporter sees it: no names, no internal notes. */
export interface ReporterStep {
	at: string;
	kind: 'created' | 'transition' | 'rated';
	to: IssueStatus;
	/** the reply staff wrote for the reporter and the public */
	public_reply: string | null;
	/** photos of the report (its creation) and of the resolution (after-photos) */
	photos: number[];
	/** a rating's stars */
	rating: number | null;
}

export interface ReporterView {
	code: string;
	category: string;
	title: string;
	description: string | null;
	status: IssueStatus;
	reported_at: string;
	steps: ReporterStep[];
	rating: number | null;
	may_rate: boolean;
	/** the case may be reopened from this link until then; null when it may not */
	reopen_until: string | null;
}

interface Base {
	id: number;
	status: IssueStatus;
}

/** The case the token opens, locked when `lock`; a 404 that does not tell a wrong token from a wrong code. */
async function byToken(knex: Knex, code: string, token: string, lock: boolean): Promise<Base> {
	const query = knex('issues').where({ code }).first('id', 'status', 'reporter_token_hash');
	const row = await (lock ? query.forUpdate() : query);
	if (!row || !row.reporter_token_hash || row.reporter_token_hash !== hashToken(token)) fail(404, `no case with code '${code}' for this link`);
	return { id: row.id, status: row.status };
}

/** When the case was last resolved, or null. */
async function resolvedAt(knex: Knex, issueId: number): Promise<Date | null> {
	const { rows } = await knex.raw(`SELECT max(e.at) AS at FROM issue_events e WHERE e.issue_id = :id AND e.kind = 'transition' AND e.to_status = 'resolved'`, { id: issueId });
	return rows[0]?.at ? new Date(rows[0].at) : null;
}

/** Until when the case may be reopened from the link, or null when it may not now. */
async function reopenUntil(knex: Knex, base: Base): Promise<Date | null> {
	const rules = await transitionRules(knex);
	if (!rules.some((r) => r.role === 'resident' && r.from_status === base.status && r.to_status === 'reopened')) return null;
	const at = await resolvedAt(knex, base.id);
	if (!at) return null;
	const until = new Date(at.getTime() + REOPEN_DAYS * DAY_MS);
	return until.getTime() > Date.now() ? until : null;
}

/** The case as its reporter sees it through their link. */
export async function view(knex: Knex, code: string, token: string): Promise<ReporterView> {
	const base = await byToken(knex, code, token, false);
	const [{ rows: [row] }, { rows: events }, until] = await Promise.all([
		knex.raw(`SELECT i.code, i.category, i.title, i.description, i.reported_at, i.rating FROM issues i WHERE i.id = :id`, { id: base.id }),
		// Photos of the report and of a resolution only: those taken on the way (an inspection,
		// a return for rework) are staff's working material.
		knex.raw(
			`SELECT e.at, e.kind, e.to_status, e.public_reply, CASE WHEN e.kind = 'rated' THEN (e.detail->>'rating')::int END AS rating,
				CASE WHEN e.kind = 'created' OR (e.kind = 'transition' AND e.to_status = 'resolved')
					THEN COALESCE((SELECT json_agg(ph.id ORDER BY ph.id) FROM case_photos ph WHERE ph.event_id = e.id), '[]') ELSE '[]' END AS photos
			 FROM issue_events e
			 WHERE e.issue_id = :id AND (e.kind IN ('created', 'rated') OR (e.kind = 'transition' AND e.from_status IS DISTINCT FROM e.to_status))
			 ORDER BY e.at, e.id`,
			{ id: base.id }
		),
		reopenUntil(knex, base)
	]);
	return {
		code: row.code,
		category: row.category,
		title: row.title,
		description: row.description,
		status: base.status,
		reported_at: new Date(row.reported_at).toISOString(),
		steps: events.map((e: Record<string, unknown>) => ({
			at: new Date(e.at as string).toISOString(),
			kind: e.kind as ReporterStep['kind'],
			to: e.to_status as IssueStatus,
			public_reply: (e.public_reply as string | null) || null,
			photos: (e.photos as (number | string)[]).map(Number),
			rating: (e.rating as number | null) ?? null
		})),
		rating: row.rating,
		may_rate: RATABLE.includes(base.status),
		reopen_until: until ? until.toISOString() : null
	};
}

/**
 * Reopens a resolved case from the reporter's link: only from `resolved` (the transition
 * table's `resident` row), within REOPEN_DAYS of the resolution, with a reason. The case goes
 * back to its handler as `reopened`; one event row carries the reason (as an internal note:
 * it may name neighbours) and the photos. All in one transaction; nothing is written on refusal.
 */
export async function reopen(knex: Knex, code: string, token: string, reason: string, photos: string[]): Promise<void> {
	await knex.transaction(async (trx) => {
		const base = await byToken(trx, code, token, true);
		const rules = await transitionRules(trx);
		if (!rules.some((r) => r.role === 'resident' && r.from_status === base.status && r.to_status === 'reopened')) {
			fail(409, `a case that is ${base.status} cannot be reopened; only a resolved case can, within ${REOPEN_DAYS} days`);
		}
		const at = await resolvedAt(trx, base.id);
		if (!at || Date.now() - at.getTime() > REOPEN_DAYS * DAY_MS) {
			fail(409, `the case was resolved more than ${REOPEN_DAYS} days ago and can no longer be reopened; report the problem anew`);
		}
		await trx.raw(`UPDATE issues SET status = 'reopened', version = version + 1, updated_at = now() WHERE id = :id`, { id: base.id });
		const eventId = await writeEvent(trx, base.id, { user: null, name: '反映人' }, 'resolved', 'reopened', 'transition', reason, { reopened_by: 'reporter' });
		await attachPhotos(trx, photos, base.id, eventId, null);
	});
}

/** Whether photo `id` of the case is one the link shows (of the report or of a resolution). */
export async function showsPhoto(knex: Knex, code: string, token: string, id: number): Promise<boolean> {
	const base = await byToken(knex, code, token, false);
	const { rows } = await knex.raw(
		`SELECT 1 FROM case_photos ph JOIN issue_events e ON e.id = ph.event_id
		 WHERE ph.id = :photo AND ph.issue_id = :issue AND (e.kind = 'created' OR (e.kind = 'transition' AND e.to_status = 'resolved'))`,
		{ photo: id, issue: base.id }
	);
	return rows.length > 0;
}

/** A photo the link shows, whole or as its thumbnail; a 404 for one it does not. */
export async function photo(knex: Knex, code: string, token: string, id: number, thumb: boolean): Promise<PhotoBytes> {
	if (!(await showsPhoto(knex, code, token, id))) fail(404, `no photo ${id} of case '${code}' for this link`);
	return photoBytes(knex, id, thumb);
}
