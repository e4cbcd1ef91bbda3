/**
 * The reporter's private link (issue 21): a resident who reported on the public form holds a
 * secret (the token of /report/{code}?token=…; the case keeps only its hash) that shows them
 * how their report stands — its timeline, the public replies, the photos of the report and of
 * its resolution — and lets them rate it once resolved or reopen it within 14 days of the
 * resolution when the problem is still there. Staff notes never reach this link: only what
 * case-publication.ts lets leave a case, the public reply of a transition.
 */
import type { Knex } from 'knex';
import { json, type Call, type Reply } from '../http/endpoint.js';
import { fail } from '../platform/errors.js';
import { bodyText, bodyTextList, checkPlainText, parseJsonObject, pathCode, pathId, queryText } from '../http/params.js';
import { take } from '../http/rate-limit.js';
import { transitionRules } from './case-rules.js';
import { attachPhotos } from './case-photos.js';
import { hashToken, MAX_PHOTOS, MAX_PUBLIC_REPLY, writeEvent, RATABLE } from './cases.js';
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

// ---------------------------------------------------------------- endpoints

/** Link checks are limited per address, so a token cannot be guessed by trying. */
function limit(call: Call): void {
	take(`reporter-link:${call.clientAddress}`, 120, 10 * 60_000, 'requests with a report link');
}

function tokenFrom(value: string | undefined): string {
	if (!value) fail(400, 'token is required: the secret of the link you were given when you reported');
	return value;
}

/** GET /api/cases/{code}/reporter?token=…: the case as its reporter sees it. */
export async function getView(call: Call): Promise<Reply> {
	limit(call);
	const code = pathCode(call.params, 'code');
	const token = tokenFrom(queryText(call.query, 'token', 100));
	return json(await view(call.db.knex, code, token), 200, { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
}

/** POST /api/cases/{code}/reopen {"token", "reason", "photos"?}: the reporter reopens a resolved case. */
export async function postReopen(call: Call): Promise<Reply> {
	limit(call);
	const code = pathCode(call.params, 'code');
	const body = parseJsonObject(await call.body(16 * 1024), '{"token", "reason", "photos"?: [token, …]}');
	const token = tokenFrom(typeof body.token === 'string' ? body.token.slice(0, 100) : undefined);
	const reason = checkPlainText('reason', bodyText(body, 'reason', { max: MAX_PUBLIC_REPLY, hint: 'what is still wrong' }));
	const photos = bodyTextList(body, 'photos', MAX_PHOTOS);
	await reopen(call.db.knex, code, token, reason, photos);
	return json(await view(call.db.knex, code, token), 200, { 'Cache-Control': 'private, no-store' });
}

/** GET /api/cases/{code}/reporter/photos/{id}?token=…[&size=thumb]: a photo the link shows. */
export async function getPhoto(call: Call): Promise<Reply> {
	limit(call);
	const code = pathCode(call.params, 'code');
	const id = pathId(call.params, 'id');
	const token = tokenFrom(queryText(call.query, 'token', 100));
	if (!(await showsPhoto(call.db.knex, code, token, id))) fail(404, `no photo ${id} of case '${code}' for this link`);
	const thumb = call.query.get('size') === 'thumb';
	const row = await call.db.knex('case_photos').where({ id }).first(thumb ? 'thumb as bytes' : 'bytes', 'mime');
	return {
		status: 200,
		headers: { 'Content-Type': thumb ? 'image/webp' : row.mime, 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' },
		body: new Uint8Array(row.bytes)
	};
}
