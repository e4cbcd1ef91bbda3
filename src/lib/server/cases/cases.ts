/**
 * Cases: the closed loop of DESIGN §4 (五事分流, 社区吹哨·部门报到) over the issues table.
 * A case is reported (by staff on the map or the phone, by a resident on the public form, by
 * another app through Open311), takes its owner chain frozen at that moment, is dispatched
 * by its category's rule and gets a deadline on the work calendar; it then moves only by the
 * transitions of case-rules.ts, each in a transaction that checks the version the caller
 * saw (If-Match) and writes an event. These are the verbs; http/cases.ts serves them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { may } from '../accounts/permissions.js';
import { scopeFilter, type Scope } from '../ownership/territory.js';
import { owners, type Owner } from '../ownership/ownership.js';
import { parseJson } from '../platform/json-text.js';
import { run, statementFor } from '../platform/prepared.js';
import { dueAfter } from '../platform/calendar.js';
import { chinaDay } from '../../domain/work-calendar.js';
import { allowedTargets, checkTransition, factsBindings, factsSql, handlerSql, transitionRules, type CaseFacts } from './case-rules.js';
import { attachPhotos, photoBytes, type PhotoBytes } from './case-photos.js';
import { filterCondition, type CaseFilter } from './case-filters.js';
import { publicDays, publicationSql, publishedSql } from './case-publication.js';
import { openSql, overdueSql } from '../../domain/issues.js';
import { type IssueSource, type IssueStatus, type MatterType, type Urgency } from '../../domain/glossary.js';

export const MAX_PHOTOS = 6;
/** A public reply is a few sentences; Open311 carries it in status_notes. */
export const MAX_PUBLIC_REPLY = 500;

/** What a report carries, checked (http/cases.ts and http/open311.ts read it from a request). */
export interface ReportInput {
	category: string;
	matter_type: MatterType;
	urgency: Urgency;
	title: string;
	description: string;
	lng: number;
	lat: number;
	photos: string[];
	resolved_on_site: boolean;
	idempotency_key?: string;
	reporter_name?: string;
	reporter_contact?: string;
	address?: string;
	media_url?: string;
	reported_at?: Date;
	source: IssueSource;
	/**
	 * Staff outside their territory pass the report on to the community the point lies in
	 * (issue 21, point 2): the community handles it, whatever the category's rule says.
	 */
	hand_over?: boolean;
}

export interface Created {
	code: string;
	status: IssueStatus;
	version: number;
	due_at: string | null;
	/** only for a resident's report: the secret that lets them rate the outcome */
	reporter_token?: string;
	/** the report was already received under this idempotency key */
	repeated: boolean;
}

export interface Handler {
	kind: 'grid_worker' | 'community' | 'department';
	grid_id: number | null;
	community_id: number | null;
	department_id: number | null;
}

/** Someone acting on a case: a signed-in user, a resident on the public form, or an app. */
export interface Actor {
	user: User | null;
	/** what the event calls them when they have no account (a resident, an Open311 app) */
	name: string;
}

/** The source a staff report counts under: the one their role reports from. */
export function staffSource(user: User): IssueSource {
	return user.role === 'department' ? 'department' : user.role === 'building_head' ? 'resident' : 'patrol';
}

/** How a reporter's token is kept: only its hash, so the database does not hold the link. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The category's rule, or a 400 naming the unknown category. */
async function category(knex: Knex, code: string): Promise<{ handler: Handler['kind']; department_id: number | null }> {
	const row = await knex('case_categories').where({ code, active: true }).first('handler', 'department_id');
	if (!row) {
		const known = (await knex('case_categories').where({ active: true }).orderBy('sort').pluck('code')) as string[];
		fail(400, `category '${code.slice(0, 60)}' is unknown; one of ${known.join(', ')}`);
	}
	return row;
}

interface Rule {
	handler: Handler['kind'];
	department_id: number | null;
}

/**
 * The handler a category's rule gives a case at the owner's areas (五事分流's routing): its
 * department, the grid worker of its grid, else its community — a department rule without a
 * department, or a grid rule where no grid answers, falls to the community.
 */
function handlerFor(rule: Rule, grid: { id: number; community_id: number } | null, communityId: number | null): Handler {
	const base = { grid_id: grid?.id ?? null, community_id: grid?.community_id ?? communityId, department_id: null };
	if (rule.handler === 'department' && rule.department_id !== null) return { ...base, kind: 'department', department_id: rule.department_id };
	if (rule.handler === 'grid_worker' && grid) return { ...base, kind: 'grid_worker' };
	return { ...base, kind: 'community' };
}

/** The handler the category's rule gives a case at the owner's areas. */
export async function dispatchRule(knex: Knex, categoryCode: string, owner: Owner): Promise<Handler> {
	const rule = await category(knex, categoryCode);
	const grid = owner.grid ? await knex('grids').where({ code: owner.grid.code }).first('id', 'community_id') : null;
	const community = !grid && owner.community ? await knex('communities').where({ code: owner.community.code }).first('id') : null;
	return handlerFor(rule, grid ?? null, community?.id ?? null);
}

/**
 * What a report needs to know of its place and kind, in one prepared statement: whether the
 * county and the reporter's territory hold the point, the category's rule, the time limit,
 * the building there, and the ids of the owner's grid and community. One round trip instead
 * of seven: on this machine each statement through knex cost about a millisecond.
 */
interface Placement {
	in_county: boolean;
	in_territory: boolean;
	rule: Rule | null;
	hours: number | null;
	building_id: number | null;
	grid: { id: number; community_id: number } | null;
	community_id: number | null;
}

function placementSql(inTerritory: string): string {
	return `WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS g)
SELECT inside_county(p.g) AS in_county,
	${inTerritory} AS in_territory,
	(SELECT json_build_object('handler', cc.handler, 'department_id', cc.department_id) FROM case_categories cc WHERE cc.code = :category AND cc.active) AS rule,
	(SELECT l.hours FROM case_time_limits l WHERE l.matter_type = :matter AND l.urgency = :urgency) AS hours,
	(SELECT b.id FROM covering_building(p.g) b) AS building_id,
	(SELECT json_build_object('id', g.id, 'community_id', g.community_id) FROM grids g WHERE g.code = :grid) AS grid,
	(SELECT c.id FROM communities c WHERE c.code = :community) AS community_id
FROM p`;
}

/** The placement statement for a reporter's scope (exported for queries.test.ts). */
export function placementStatement(scope: Scope) {
	return statementFor('case:placement', scope, () => {
		const filter = scopeFilter(scope, 'p.g', 'point');
		return { sql: placementSql(filter.sql), bindings: filter.bindings };
	});
}

async function placement(knex: Knex, scope: Scope, input: ReportInput, owner: Owner): Promise<Placement> {
	const statement = placementStatement(scope);
	const [row] = await run<Placement>(knex, statement.sql, {
		...statement.bindings,
		lng: input.lng,
		lat: input.lat,
		category: input.category,
		matter: input.matter_type,
		urgency: input.urgency,
		grid: owner.grid?.code ?? null,
		community: owner.community?.code ?? null
	});
	return row;
}

/** The time limit in working hours of a matter type × urgency. */
async function limitHours(knex: Knex, matter: MatterType, urgency: Urgency): Promise<number> {
	const row = await knex('case_time_limits').where({ matter_type: matter, urgency }).first('hours');
	return row?.hours ?? 40;
}

/**
 * Creates a case: checks the place (in the county; for staff, in their territory), freezes
 * the owner chain, dispatches by the category's rule, sets the deadline, and writes the case,
 * its creation event and its photos in one transaction. A report resolved on the spot
 * (即知即办) is resolved by its reporter at once, a second event.
 */
export async function create(knex: Knex, actor: Actor, scope: Scope, input: ReportInput): Promise<Created> {
	if (input.idempotency_key) {
		const seen = await knex('issues').where({ idempotency_key: input.idempotency_key }).first('code', 'status', 'version', 'due_at', 'reported_by');
		if (seen) {
			if ((seen.reported_by ?? null) !== (actor.user?.id ?? null)) fail(409, 'idempotency_key was already used by another reporter');
			return { code: seen.code, status: seen.status, version: seen.version, due_at: seen.due_at ? new Date(seen.due_at).toISOString() : null, repeated: true };
		}
	}
	const [ownerText] = await owners(knex, [[input.lng, input.lat]], { scope: { kind: 'all' } });
	const owner = parseJson<Owner>(ownerText);
	// A resident's form may place a report anywhere in the county; staff only in their territory.
	const place = await placement(knex, actor.user ? scope : { kind: 'all' }, input, owner);
	if (!place.in_county) fail(400, `the point [${input.lng}, ${input.lat}] is outside Hejiang County`);
	const handedOver = !place.in_territory && input.hand_over === true;
	if (!place.in_territory && !handedOver) fail(403, `the point [${input.lng}, ${input.lat}] is outside your territory`);
	if (!place.rule) await category(knex, input.category);
	let handler = handlerFor(place.rule!, place.grid, place.community_id);
	if (handedOver) {
		if (input.resolved_on_site) fail(400, 'resolved_on_site cannot go with hand_over: a report passed on is resolved by the community there');
		if (handler.community_id === null) fail(400, `no community holds the point [${input.lng}, ${input.lat}] to pass the report on to`);
		handler = { ...handler, kind: 'community', department_id: null };
	}
	const reportedAt = input.reported_at ?? new Date();
	const due = await dueAfter(knex, reportedAt, place.hours ?? 40);
	const reporterToken = actor.user ? undefined : randomBytes(18).toString('base64url');
	const bindings = {
		title: input.title,
		description: input.description,
		category: input.category,
		matter: input.matter_type,
		urgency: input.urgency,
		source: input.source,
		reported_at: reportedAt,
		due_at: due,
		on_site: input.resolved_on_site,
		building: place.building_id,
		lng: input.lng,
		lat: input.lat,
		kind: handler.kind,
		grid: handler.grid_id,
		community: handler.community_id,
		department: handler.department_id,
		owner: ownerText,
		user: actor.user?.id ?? null,
		person: actor.user?.person_id ?? null,
		actor_name: actor.user?.username ?? actor.name,
		reporter_name: input.reporter_name ?? null,
		reporter_contact: input.reporter_contact ?? null,
		token_hash: reporterToken ? hashToken(reporterToken) : null,
		address: input.address ?? null,
		media_url: input.media_url ?? null,
		key: input.idempotency_key ?? null,
		detail: JSON.stringify(handedOver ? { handler: handler.kind, handed_over: true } : { handler: handler.kind })
	};
	try {
		let row: { id: number; code: string; version: number; event_id: number };
		let status: IssueStatus = 'reported';
		if (input.photos.length === 0 && !input.resolved_on_site) {
			// The usual report: the case and its creation event in one statement, atomic by itself.
			[row] = await run<typeof row>(knex, CREATE_SQL, bindings);
		} else {
			row = await knex.transaction(async (trx) => {
				const [created] = (await trx.raw(CREATE_SQL, bindings)).rows;
				await attachPhotos(trx, input.photos, created.id, Number(created.event_id), actor.user);
				if (input.resolved_on_site) {
					if (!actor.user) fail(400, 'resolved_on_site is for staff resolving on the spot');
					const facts: CaseFacts = { status: 'reported', in_territory: true, is_handler: false, is_reporter: true, is_resolver: false };
					checkTransition(await transitionRules(trx), actor.user, facts, 'resolved');
					await trx.raw(`UPDATE issues SET status = 'resolved', version = version + 1, resolved_by = :user, updated_at = now() WHERE id = :id`, { user: actor.user.id, id: created.id });
					await writeEvent(trx, created.id, actor, 'reported', 'resolved', 'transition', '即知即办:现场解决', null);
					status = 'resolved';
					created.version += 1;
				}
				return created;
			});
		}
		return { code: row.code, status, version: row.version, due_at: due.toISOString(), reporter_token: reporterToken, repeated: false };
	} catch (error) {
		// Two sends of one report racing: the second finds the first's row.
		if ((error as { code?: string }).code === '23505' && input.idempotency_key) return create(knex, actor, scope, input);
		throw error;
	}
}

/** A case and its creation event, in one statement. */
export const CREATE_SQL = `WITH created AS (
	INSERT INTO issues (code, title, description, category, matter_type, urgency, status, source, reported_at, due_at,
		resolved_on_site, building_id, geom, handler_kind, handler_grid_id, handler_community_id, handler_department_id,
		owner_chain, reported_by, reporter_name, reporter_contact, reporter_token_hash, address, media_url, idempotency_key)
	VALUES ('C' || lpad(nextval('case_code_seq')::text, 8, '0'), :title, :description, :category, :matter, :urgency, 'reported', :source,
		:reported_at, :due_at, :on_site, :building, ST_SetSRID(ST_MakePoint(:lng, :lat), 4326), :kind, :grid, :community, :department,
		CAST(:owner AS jsonb), :user, :reporter_name, :reporter_contact, :token_hash, :address, :media_url, :key)
	RETURNING id, code, version
), event AS (
	INSERT INTO issue_events (issue_id, at, actor_id, actor_user_id, actor_name, from_status, to_status, note, kind, detail)
	SELECT created.id, now(), :person, :user, :actor_name, NULL, 'reported', NULL, 'created', CAST(:detail AS jsonb) FROM created
	RETURNING id
)
SELECT created.id, created.code, created.version, event.id AS event_id FROM created, event`;

/** Writes an event row; its id. */
export async function writeEvent(
	trx: Knex,
	issueId: number,
	actor: Actor,
	from: IssueStatus | null,
	to: IssueStatus,
	kind: 'transition' | 'created' | 'acknowledged' | 'rated' | 'duplicate' | 'edited',
	note: string | null,
	detail: Record<string, unknown> | null,
	/** a reply for the reporter and the public (case-publication.ts); the note stays internal */
	publicReply: string | null = null
): Promise<number> {
	const [row] = (
		await trx.raw(
			`INSERT INTO issue_events (issue_id, at, actor_id, actor_user_id, actor_name, from_status, to_status, note, kind, detail, public_reply)
			 VALUES (:issue, now(), :person, :user, :name, :from, :to, :note, :kind, CAST(:detail AS jsonb), :public_reply) RETURNING id`,
			{
				issue: issueId,
				person: actor.user?.person_id ?? null,
				user: actor.user?.id ?? null,
				name: actor.user?.username ?? actor.name,
				from,
				to,
				note,
				kind,
				detail: detail ? JSON.stringify(detail) : null,
				public_reply: publicReply
			}
		)
	).rows;
	return Number(row.id);
}

// ---------------------------------------------------------------- reading

export interface CaseEvent {
	at: string;
	kind: string;
	from: IssueStatus | null;
	to: IssueStatus;
	actor: string | null;
	/** internal: for staff who may read the case */
	note: string | null;
	/** written for the reporter and the public */
	public_reply: string | null;
	detail: Record<string, unknown> | null;
	photos: number[];
}

export interface Escalation {
	department: { code: string; name: string };
	escalated_at: string;
	ack_due_at: string;
	acknowledged_at: string | null;
	/** acknowledged after its limit, or still not acknowledged past it */
	late: boolean;
}

export interface CaseRecord {
	code: string;
	title: string;
	description: string | null;
	category: string;
	matter_type: MatterType;
	urgency: Urgency;
	status: IssueStatus;
	source: IssueSource;
	version: number;
	reported_at: string;
	updated_at: string;
	due_at: string | null;
	overdue: boolean;
	resolved_on_site: boolean;
	lng: number;
	lat: number;
	address: string | null;
	building_code: string | null;
	handler: { kind: Handler['kind']; code: string | null; name: string | null } | null;
	owner_chain: Owner | null;
	rating: number | null;
	rating_source: string | null;
	duplicate_of: string | null;
	backlog_reason: string | null;
	backlog_review_on: string | null;
	events: CaseEvent[];
	escalations: Escalation[];
	photos: { id: number; width: number; height: number }[];
	/** what the caller may do next: the statuses they may move it to */
	allowed: IssueStatus[];
	/** whether the caller may acknowledge an escalation (报到) now */
	may_acknowledge: boolean;
}

const CASE_SQL = (inTerritory: string) => `
SELECT i.id, i.code, i.title, i.description, i.category, i.matter_type, i.urgency, i.status, i.source, i.version,
	i.reported_at, i.updated_at, i.due_at, ${overdueSql('i')} AS overdue, i.resolved_on_site,
	ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, i.address, b.code AS building_code,
	i.handler_kind, hg.code AS handler_grid_code, hg.name AS handler_grid_name, hc.code AS handler_community_code, hc.name AS handler_community_name,
	hd.code AS handler_department_code, hd.name AS handler_department_name,
	i.owner_chain, i.rating, i.rating_source, dup.code AS duplicate_of, i.backlog_reason, to_char(i.backlog_review_on, 'YYYY-MM-DD') AS backlog_review_on,
	${factsSql(inTerritory)}
FROM issues i
LEFT JOIN buildings b ON b.id = i.building_id
LEFT JOIN grids hg ON hg.id = i.handler_grid_id
LEFT JOIN communities hc ON hc.id = i.handler_community_id
LEFT JOIN departments hd ON hd.id = i.handler_department_id
LEFT JOIN issues dup ON dup.id = i.duplicate_of
WHERE i.code = :code`;

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

interface CaseRow extends CaseFacts {
	id: number;
	[key: string]: unknown;
}

/** The case row with the caller's facts, or null when it does not exist or the caller may not see it. */
async function caseRow(knex: Knex, user: User | null, scope: Scope, code: string, lock = false): Promise<CaseRow | null> {
	const filter = scopeFilter(scope, 'i.geom', 'point');
	const { rows } = await knex.raw(CASE_SQL(filter.sql) + (lock ? ' FOR UPDATE OF i' : ''), { code, ...filter.bindings, ...factsBindings(user) });
	const row = rows[0] as CaseRow | undefined;
	// A department sees what was escalated or dispatched to it, wherever it is.
	if (!row || !(row.in_territory || row.is_handler || row.is_reporter)) return null;
	return row;
}

/** One case with its timeline, escalations, photos and what the caller may do; null when not theirs to see. */
export async function read(knex: Knex, user: User | null, scope: Scope, code: string): Promise<CaseRecord | null> {
	const row = await caseRow(knex, user, scope, code);
	if (!row) return null;
	const [events, escalations, photos, rules] = await Promise.all([
		knex.raw(
			`SELECT e.id, e.at, e.kind, e.from_status, e.to_status, COALESCE(p.name, d.name, e.actor_name) AS actor, e.note, e.public_reply, e.detail,
				COALESCE((SELECT json_agg(ph.id ORDER BY ph.id) FROM case_photos ph WHERE ph.event_id = e.id), '[]') AS photos
			 FROM issue_events e LEFT JOIN people p ON p.id = e.actor_id
			 LEFT JOIN users u ON u.id = e.actor_user_id LEFT JOIN departments d ON d.id = u.department_id
			 WHERE e.issue_id = :id ORDER BY e.at, e.id`,
			{ id: row.id }
		),
		knex.raw(
			`SELECT d.code, d.name, e.escalated_at, e.ack_due_at, e.acknowledged_at,
				COALESCE(e.acknowledged_at, now()) > e.ack_due_at AS late, e.department_id
			 FROM case_escalations e JOIN departments d ON d.id = e.department_id WHERE e.issue_id = :id ORDER BY e.id`,
			{ id: row.id }
		),
		knex.raw(`SELECT id, width, height FROM case_photos WHERE issue_id = :id ORDER BY id`, { id: row.id }),
		transitionRules(knex)
	]);
	const kind = row.handler_kind as Handler['kind'] | null;
	const handler =
		kind === null
			? null
			: {
					kind,
					code: (kind === 'grid_worker' ? row.handler_grid_code : kind === 'department' ? row.handler_department_code : row.handler_community_code) as string | null,
					name: (kind === 'grid_worker' ? row.handler_grid_name : kind === 'department' ? row.handler_department_name : row.handler_community_name) as string | null
				};
	const mayAcknowledge =
		user !== null && may(user, 'case.acknowledge') &&
		escalations.rows.some((e: { department_id: number; acknowledged_at: unknown }) => e.department_id === user.department_id && e.acknowledged_at === null);
	return {
		code: row.code as string,
		title: row.title as string,
		description: row.description as string | null,
		category: row.category as string,
		matter_type: row.matter_type as MatterType,
		urgency: row.urgency as Urgency,
		status: row.status,
		source: row.source as IssueSource,
		version: row.version as number,
		reported_at: iso(row.reported_at)!,
		updated_at: iso(row.updated_at)!,
		due_at: iso(row.due_at),
		overdue: row.overdue as boolean,
		resolved_on_site: row.resolved_on_site as boolean,
		lng: Number(row.lng),
		lat: Number(row.lat),
		address: row.address as string | null,
		building_code: row.building_code as string | null,
		handler,
		owner_chain: row.owner_chain as Owner | null,
		rating: row.rating as number | null,
		rating_source: row.rating_source as string | null,
		duplicate_of: row.duplicate_of as string | null,
		backlog_reason: row.backlog_reason as string | null,
		backlog_review_on: row.backlog_review_on as string | null,
		events: events.rows.map((e: Record<string, unknown>) => ({
			at: iso(e.at)!,
			kind: e.kind as string,
			from: e.from_status as IssueStatus | null,
			to: e.to_status as IssueStatus,
			actor: e.actor as string | null,
			note: e.note as string | null,
			public_reply: e.public_reply as string | null,
			detail: e.detail as Record<string, unknown> | null,
			photos: (e.photos as (number | string)[]).map(Number)
		})),
		escalations: escalations.rows.map((e: Record<string, unknown>) => ({
			department: { code: e.code as string, name: e.name as string },
			escalated_at: iso(e.escalated_at)!,
			ack_due_at: iso(e.ack_due_at)!,
			acknowledged_at: iso(e.acknowledged_at),
			late: e.late as boolean
		})),
		photos: photos.rows.map((p: { id: string | number; width: number; height: number }) => ({ id: Number(p.id), width: p.width, height: p.height })),
		allowed: allowedTargets(rules, user, row),
		may_acknowledge: mayAcknowledge
	};
}

/** A photo of a case the caller may read, whole or as its thumbnail; a 404 when the case or the photo is not theirs to see. */
export async function photo(knex: Knex, user: User | null, scope: Scope, code: string, id: number, thumb: boolean): Promise<PhotoBytes> {
	const record = await read(knex, user, scope, code);
	if (!record || !record.photos.some((p) => p.id === id)) fail(404, `no photo ${id} of case '${code}'`);
	return photoBytes(knex, id, thumb);
}

// ---------------------------------------------------------------- changing

export interface TransitionInput {
	to: IssueStatus;
	/** internal: staff who may read the case see it */
	note?: string;
	/** for the reporter and the public: the status notes of Open311, the reporter's link */
	public_reply?: string;
	photos: string[];
	/** escalated: the departments blown the whistle to (codes) */
	departments: string[];
	/** dispatched: a handler other than the rule's */
	handler?: { kind: Handler['kind']; code?: string };
	/** registered: the matter type and urgency as graded (they set the deadline) */
	matter_type?: MatterType;
	urgency?: Urgency;
	/** backlog: why, and when to look again */
	backlog_reason?: string;
	backlog_review_on?: string;
	/** rejected as a duplicate of this case */
	duplicate_of?: string;
}

/** A case's version as its ETag (and as If-Match must name it). */
export const etagOf = (version: number) => `"v${version}"`;

/**
 * Locks the case, checks the version the caller saw, and runs `change` with the row; the
 * version rises by one. Concurrent writers queue on the row lock, so of twenty sending the
 * same version one wins and nineteen see it has moved on (412).
 */
async function withCase<T>(knex: Knex, user: User, scope: Scope, code: string, version: number, change: (trx: Knex.Transaction, row: CaseRow) => Promise<T>): Promise<T> {
	return knex.transaction(async (trx) => {
		const row = await caseRow(trx, user, scope, code, true);
		if (!row) fail(404, `no case with code '${code}'`);
		if (row.version !== version) fail(412, `the case has changed since you read it (version ${version}, now ${row.version}); read it again`, { ETag: etagOf(row.version as number) });
		const result = await change(trx, row);
		await trx.raw(`UPDATE issues SET version = version + 1, updated_at = now() WHERE id = :id`, { id: row.id });
		return result;
	});
}

/** Moves a case to another status, as the transition table allows this caller; the new version. */
export async function transition(knex: Knex, user: User, scope: Scope, code: string, version: number, input: TransitionInput): Promise<number> {
	return withCase(knex, user, scope, code, version, async (trx, row) => {
		const from = row.status;
		checkTransition(await transitionRules(trx), user, row, input.to);
		const actor: Actor = { user, name: user.username };
		const detail: Record<string, unknown> = {};
		switch (input.to) {
			case 'registered': {
				const matter = input.matter_type ?? (row.matter_type as MatterType);
				const urgency = input.urgency ?? (row.urgency as Urgency);
				const due = await dueAfter(trx, new Date(row.reported_at as string), await limitHours(trx, matter, urgency));
				await trx.raw(`UPDATE issues SET matter_type = :matter, urgency = :urgency, due_at = :due WHERE id = :id`, { matter, urgency, due, id: row.id });
				Object.assign(detail, { matter_type: matter, urgency, due_at: due.toISOString() });
				break;
			}
			case 'dispatched': {
				const handler = await chosenHandler(trx, row, input.handler);
				await trx.raw(
					`UPDATE issues SET handler_kind = :kind, handler_grid_id = COALESCE(:grid, handler_grid_id), handler_community_id = COALESCE(:community, handler_community_id), handler_department_id = :department WHERE id = :id`,
					{ kind: handler.kind, grid: handler.grid_id, community: handler.community_id, department: handler.department_id, id: row.id }
				);
				Object.assign(detail, { handler: handler.kind });
				break;
			}
			case 'escalated': {
				if (input.departments.length === 0) fail(400, 'departments is required: the codes of the departments to escalate to (吹哨)');
				const departments = await trx('departments').whereIn('code', input.departments).select('id', 'code', 'ack_limit_hours');
				const missing = input.departments.filter((c) => !departments.some((d) => d.code === c));
				if (missing.length) fail(400, `departments: no department with code ${missing.map((c) => `'${c.slice(0, 40)}'`).join(', ')}`);
				const now = new Date();
				for (const d of departments) {
					const ackDue = await dueAfter(trx, now, d.ack_limit_hours);
					await trx.raw(
						`INSERT INTO case_escalations (issue_id, department_id, escalated_at, ack_due_at) VALUES (:issue, :department, :now, :due)
						 ON CONFLICT (issue_id, department_id) DO UPDATE SET escalated_at = EXCLUDED.escalated_at, ack_due_at = EXCLUDED.ack_due_at, acknowledged_at = NULL, acknowledged_by = NULL`,
						{ issue: row.id, department: d.id, now, due: ackDue }
					);
				}
				Object.assign(detail, { departments: departments.map((d) => d.code) });
				break;
			}
			case 'in_progress':
				if (from === 'escalated') await acknowledgeRow(trx, user, row.id);
				break;
			case 'resolved':
				await trx.raw(`UPDATE issues SET resolved_by = :user WHERE id = :id`, { user: user.id, id: row.id });
				break;
			case 'backlog': {
				if (!input.backlog_reason) fail(400, 'backlog_reason is required: why the case cannot be solved now (挂账)');
				if (!input.backlog_review_on) fail(400, 'backlog_review_on is required: the day to look at it again, YYYY-MM-DD');
				if (input.backlog_review_on <= chinaDay()) fail(400, `backlog_review_on ${input.backlog_review_on} must be a future day`);
				await trx.raw(`UPDATE issues SET backlog_reason = :reason, backlog_review_on = :day WHERE id = :id`, { reason: input.backlog_reason, day: input.backlog_review_on, id: row.id });
				break;
			}
			case 'rejected':
			case 'returned':
				if (!input.note) fail(400, `note is required: say why the case is ${input.to === 'rejected' ? 'rejected' : 'returned for rework'}`);
				if (input.duplicate_of) {
					const original = await trx('issues').where({ code: input.duplicate_of }).first('id');
					if (!original || original.id === row.id) fail(400, `duplicate_of: no other case with code '${input.duplicate_of.slice(0, 40)}'`);
					await trx.raw(`UPDATE issues SET duplicate_of = :original WHERE id = :id`, { original: original.id, id: row.id });
					detail.duplicate_of = input.duplicate_of;
				}
				break;
		}
		await trx.raw(`UPDATE issues SET status = :to WHERE id = :id`, { to: input.to, id: row.id });
		const eventId = await writeEvent(trx, row.id, actor, from, input.to, 'transition', input.note ?? null, Object.keys(detail).length ? detail : null, input.public_reply ?? null);
		await attachPhotos(trx, input.photos, row.id, eventId, user);
		return version + 1;
	});
}

/** The handler a dispatch names, or the category's rule at the case's frozen owner. */
async function chosenHandler(trx: Knex, row: CaseRow, choice: TransitionInput['handler']): Promise<Handler> {
	const owner = row.owner_chain as Owner | null;
	const current: Handler = {
		kind: (row.handler_kind as Handler['kind']) ?? 'community',
		grid_id: null,
		community_id: null,
		department_id: null
	};
	if (!choice) {
		if (!owner) return current;
		return dispatchRule(trx, row.category as string, owner);
	}
	if (choice.kind === 'department') {
		if (!choice.code) fail(400, 'handler.code is required: the department to dispatch to');
		const d = await trx('departments').where({ code: choice.code }).first('id');
		if (!d) fail(400, `handler.code: no department with code '${choice.code.slice(0, 40)}'`);
		return { ...current, kind: 'department', department_id: d.id };
	}
	if (choice.kind === 'grid_worker') {
		const { rows } = await trx.raw(`SELECT g.id, g.community_id FROM covering_grid((SELECT geom FROM issues WHERE id = :id)) g`, { id: row.id });
		if (!rows[0]) fail(400, 'handler: no grid holds the case, so no grid worker can take it; dispatch to the community or a department');
		return { kind: 'grid_worker', grid_id: rows[0].id, community_id: rows[0].community_id, department_id: null };
	}
	return { ...current, kind: 'community' };
}

/** Records the caller's department's acknowledgement (报到) of an escalation; false when there was none to acknowledge. */
async function acknowledgeRow(trx: Knex, user: User, issueId: number): Promise<boolean> {
	const { rowCount } = await trx.raw(
		`UPDATE case_escalations SET acknowledged_at = now(), acknowledged_by = :user WHERE issue_id = :issue AND department_id = :department AND acknowledged_at IS NULL`,
		{ user: user.id, issue: issueId, department: user.department_id ?? -1 }
	);
	if (rowCount === 0) fail(403, 'your department has no escalation of this case to acknowledge');
	// The first department to answer takes the case up as its handler.
	await trx.raw(`UPDATE issues SET handler_kind = 'department', handler_department_id = COALESCE(CASE WHEN handler_kind = 'department' THEN handler_department_id END, :department) WHERE id = :id`, {
		department: user.department_id,
		id: issueId
	});
	return true;
}

/**
 * 报到: a department acknowledges an escalation. The first answer to an escalated case takes
 * it up (escalated → in progress, by the transition table); later ones are recorded beside it.
 */
export async function acknowledge(knex: Knex, user: User, scope: Scope, code: string, version: number, note?: string): Promise<number> {
	return withCase(knex, user, scope, code, version, async (trx, row) => {
		const actor: Actor = { user, name: user.username };
		if (row.status === 'escalated') {
			checkTransition(await transitionRules(trx), user, row, 'in_progress');
			await acknowledgeRow(trx, user, row.id);
			await trx.raw(`UPDATE issues SET status = 'in_progress' WHERE id = :id`, { id: row.id });
			await writeEvent(trx, row.id, actor, 'escalated', 'in_progress', 'transition', note ?? '部门报到', { acknowledged: true });
		} else {
			if (!may(user, 'case.acknowledge')) fail(403, 'only a department acknowledges an escalation');
			await acknowledgeRow(trx, user, row.id);
			await writeEvent(trx, row.id, actor, row.status, row.status, 'acknowledged', note ?? '部门报到', null);
		}
		return version + 1;
	});
}

export const RATABLE: IssueStatus[] = ['resolved', 'verified', 'closed'];

/**
 * A resident's satisfaction rating, 1–5: from the reporter's secret link, or entered by staff
 * who called them (the handling grid worker, the community, the admin).
 */
export async function rate(knex: Knex, user: User | null, scope: Scope, code: string, rating: number, token?: string): Promise<void> {
	await knex.transaction(async (trx) => {
		const base = await trx('issues').where({ code }).forUpdate().first('id', 'status', 'reporter_token_hash');
		let source: 'reporter' | 'call';
		if (token) {
			if (!base || !base.reporter_token_hash || base.reporter_token_hash !== hashToken(token)) fail(404, `no case with code '${code}' for this link`);
			source = 'reporter';
		} else {
			if (!user) fail(401, 'sign in, or use the link you were given when you reported');
			const row = await caseRow(trx, user, scope, code, true);
			if (!row) fail(404, `no case with code '${code}'`);
			// The case is theirs to call about when it lies in their territory or they handle it.
			if (!may(user, 'case.rate', { inTerritory: row.in_territory || row.is_handler })) {
				fail(403, 'a rating by call is entered by the grid worker or community of the case');
			}
			source = 'call';
		}
		if (!RATABLE.includes(base!.status)) fail(409, `a case that is ${base!.status} cannot be rated yet; it can once resolved`);
		await trx.raw(`UPDATE issues SET rating = :rating, rating_source = :source, version = version + 1, updated_at = now() WHERE id = :id`, { rating, source, id: base!.id });
		await writeEvent(trx, base!.id, { user: source === 'call' ? user : null, name: source === 'reporter' ? '反映人' : (user?.username ?? '') }, base!.status, base!.status, 'rated', null, { rating, source });
	});
}

// ---------------------------------------------------------------- lists

export const WORK_LISTS = ['register', 'handle', 'acknowledge', 'verify', 'escalated', 'backlog', 'reported_by_me'] as const;
export type WorkList = (typeof WORK_LISTS)[number];

/** Which lists each role has, in the order its page shows them. */
export const LISTS_OF_ROLE: Record<string, WorkList[]> = {
	admin: ['register', 'verify', 'escalated', 'backlog'],
	community_admin: ['register', 'handle', 'verify', 'escalated', 'backlog'],
	grid_worker: ['handle', 'reported_by_me'],
	department: ['acknowledge', 'handle'],
	building_head: ['reported_by_me'],
	planner: [],
	housing: []
};

/**
 * The list a caller asked for, else their first: a 403 for a role with no lists, a 400 for a
 * list that is not one of theirs.
 */
export function chooseList(user: User, wanted: WorkList | undefined): WorkList {
	const own = LISTS_OF_ROLE[user.role] ?? [];
	if (own.length === 0) fail(403, `a ${user.role} account has no work lists`);
	const list = wanted ?? own[0];
	if (!own.includes(list)) fail(400, `list must be one of your lists: ${own.join(', ')}`);
	return list;
}

/** Each list's condition over `i`, with the caller's bindings (factsBindings). */
function listCondition(list: WorkList): string {
	const handling = `i.status IN ('dispatched', 'in_progress', 'returned', 'reopened')`;
	switch (list) {
		case 'register':
			return `i.status = 'reported' AND :role IN ('admin', 'community_admin')`;
		case 'verify':
			return `i.status = 'resolved' AND :role IN ('admin', 'community_admin') AND (i.resolved_by IS NULL OR i.resolved_by <> :user)`;
		case 'escalated':
			return `i.status = 'escalated' AND :role IN ('admin', 'community_admin')`;
		case 'backlog':
			return `i.status = 'backlog' AND :role IN ('admin', 'community_admin')`;
		case 'reported_by_me':
			return `i.reported_by = :user AND ${openSql('i')}`;
		case 'acknowledge':
			return `EXISTS (SELECT 1 FROM case_escalations e WHERE e.issue_id = i.id AND e.department_id = :department AND e.acknowledged_at IS NULL)`;
		case 'handle':
			return `${handling} AND ${handlerSql()}`;
	}
}

export interface WorkItem {
	code: string;
	title: string;
	category: string;
	matter_type: MatterType;
	urgency: Urgency;
	status: IssueStatus;
	reported_at: string;
	due_at: string | null;
	overdue: boolean;
	ack_due_at: string | null;
	lng: number;
	lat: number;
	version: number;
	/** the first photo, for the list's thumbnail */
	photo_id: number | null;
}

/**
 * The cases waiting for the caller in one list, the nearest deadline first (overdue at the
 * top, no deadline last). Territory applies as everywhere, except that a department's lists
 * hold what was escalated or dispatched to it wherever that is.
 */
export async function workList(knex: Knex, user: User, scope: Scope, list: WorkList, limit = 200, narrow: CaseFilter = {}): Promise<{ total: number; items: WorkItem[] }> {
	const filter = scopeFilter(scope, 'i.geom', 'point');
	const chosen = await filterCondition(knex, narrow);
	const where = `(${listCondition(list)}) AND (${user.role === 'department' ? 'true' : filter.sql}) AND (${chosen.sql})`;
	const bindings = { ...filter.bindings, ...chosen.bindings, ...factsBindings(user), limit };
	const ack = `(SELECT min(e.ack_due_at) FROM case_escalations e WHERE e.issue_id = i.id AND e.department_id = :department AND e.acknowledged_at IS NULL)`;
	const [count, rows] = await Promise.all([
		knex.raw(`SELECT count(*)::int AS n FROM issues i WHERE ${where}`, bindings),
		knex.raw(
			`SELECT i.code, i.title, i.category, i.matter_type, i.urgency, i.status, i.reported_at, i.due_at, ${overdueSql('i')} AS overdue,
				${ack} AS ack_due_at, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, i.version,
				(SELECT min(ph.id) FROM case_photos ph WHERE ph.issue_id = i.id) AS photo_id
			 FROM issues i WHERE ${where}
			 ORDER BY COALESCE(${ack}, i.due_at) ASC NULLS LAST, i.reported_at DESC LIMIT :limit`,
			bindings
		)
	]);
	return {
		total: count.rows[0].n,
		items: rows.rows.map((r: Record<string, unknown>) => ({
			...(r as unknown as WorkItem),
			reported_at: iso(r.reported_at)!,
			due_at: iso(r.due_at),
			ack_due_at: iso(r.ack_due_at),
			lng: Number(r.lng),
			lat: Number(r.lat),
			photo_id: r.photo_id == null ? null : Number(r.photo_id)
		}))
	};
}

/** How many cases wait in each of the caller's lists (the header's count). */
export async function workCounts(knex: Knex, user: User, scope: Scope): Promise<{ total: number; lists: Record<string, number> }> {
	const lists: Record<string, number> = {};
	for (const list of LISTS_OF_ROLE[user.role] ?? []) lists[list] = (await workList(knex, user, scope, list, 0)).total;
	const waiting = Object.entries(lists).filter(([l]) => l !== 'reported_by_me' && l !== 'backlog' && l !== 'escalated');
	return { total: waiting.reduce((s, [, n]) => s + n, 0), lists };
}

/**
 * Open cases of a category within `metres` of a point, nearest first: shown before a report
 * is sent, so the same pothole is not reported five times. Staff see the cases of their
 * territory with titles; beyond it, and for a resident, only what the public may see of a
 * case (case-publication.ts): published cases whose category shows the exact point, without
 * a title — a distance to the metre would give away a point the public may not see. The point
 * comes along (the public form marks them on its map): for these cases it is public anyway.
 */
export async function nearby(
	knex: Knex,
	scope: Scope,
	lng: number,
	lat: number,
	categoryCode: string | undefined,
	metres: number
): Promise<{ code: string; title: string | null; category: string; status: IssueStatus; distance_m: number; lng: number; lat: number }[]> {
	const readable = scopeFilter(scope, 'i.geom', 'point');
	const { rows } = await knex.raw(
		`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS g)
		 SELECT i.code, CASE WHEN ${readable.sql} THEN i.title END AS title, i.category, i.status,
			round(ST_Distance(i.geom::geography, p.g::geography)::numeric, 1)::float AS distance_m,
			ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat
		 FROM issues i, p
		 WHERE ${openSql('i')} AND (CAST(:category AS text) IS NULL OR i.category = :category)
			AND i.geom && ST_Expand(p.g, :metres / 80000.0) AND ST_DWithin(i.geom::geography, p.g::geography, :metres)
			AND (${readable.sql} OR (${publishedSql('i')} AND ${publicationSql('i')} = 'exact'))
		 ORDER BY distance_m, i.code LIMIT 20`,
		{ lng, lat, category: categoryCode ?? null, metres, public_days: publicDays(), ...readable.bindings }
	);
	return rows;
}

export function duplicateMetres(): number {
	const value = Number(process.env.CASE_DUPLICATE_METRES ?? 50);
	return Number.isFinite(value) && value > 0 && value <= 1000 ? value : 50;
}

// ---------------------------------------------------------------- exports

export interface ExportFilter {
	status?: IssueStatus;
	category?: string;
	from?: string;
	to?: string;
	overdue?: boolean;
	bbox?: [number, number, number, number];
}

export const MAX_EXPORT = 100_000;

export interface ExportRow {
	code: string;
	title: string;
	category: string;
	matter_type: string;
	urgency: string;
	status: string;
	source: string;
	reported_at: string;
	due_at: string | null;
	overdue: boolean;
	resolved_on_site: boolean;
	handler_kind: string | null;
	handler: string | null;
	grid_code: string | null;
	community_code: string | null;
	rating: number | null;
	lng: number;
	lat: number;
}

/** The cases the caller may read that pass the filter, oldest first, at most MAX_EXPORT. */
export async function exportRows(knex: Knex, scope: Scope, filter: ExportFilter): Promise<ExportRow[]> {
	const readable = scopeFilter(scope, 'i.geom', 'point');
	const { rows } = await knex.raw(
		`SELECT i.code, i.title, i.category, i.matter_type, i.urgency, i.status, i.source, i.reported_at, i.due_at, ${overdueSql('i')} AS overdue,
			i.resolved_on_site, i.handler_kind, COALESCE(hd.name, hg.name, hc.name) AS handler, g.code AS grid_code, c.code AS community_code,
			i.rating, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat
		 FROM issues i
		 LEFT JOIN grids hg ON hg.id = i.handler_grid_id AND i.handler_kind = 'grid_worker'
		 LEFT JOIN communities hc ON hc.id = i.handler_community_id AND i.handler_kind = 'community'
		 LEFT JOIN departments hd ON hd.id = i.handler_department_id AND i.handler_kind = 'department'
		 LEFT JOIN grids g ON g.id = i.handler_grid_id
		 LEFT JOIN communities c ON c.id = COALESCE(i.handler_community_id, g.community_id)
		 WHERE ${readable.sql}
			AND (CAST(:status AS text) IS NULL OR i.status = :status)
			AND (CAST(:category AS text) IS NULL OR i.category = :category)
			AND (CAST(:from AS date) IS NULL OR i.reported_at >= CAST(:from AS date))
			AND (CAST(:to AS date) IS NULL OR i.reported_at < CAST(:to AS date) + 1)
			AND (NOT CAST(:overdue AS boolean) OR ${overdueSql('i')})
			AND (CAST(:w AS float8) IS NULL OR i.geom && ST_MakeEnvelope(:w, :s, :e, :n, 4326))
		 ORDER BY i.reported_at, i.code LIMIT :limit`,
		{
			...readable.bindings,
			status: filter.status ?? null,
			category: filter.category ?? null,
			from: filter.from ?? null,
			to: filter.to ?? null,
			overdue: filter.overdue ?? false,
			w: filter.bbox?.[0] ?? null,
			s: filter.bbox?.[1] ?? null,
			e: filter.bbox?.[2] ?? null,
			n: filter.bbox?.[3] ?? null,
			limit: MAX_EXPORT
		}
	);
	return rows.map((r: Record<string, unknown>) => ({
		...(r as unknown as ExportRow),
		reported_at: iso(r.reported_at)!,
		due_at: iso(r.due_at),
		lng: Number(r.lng),
		lat: Number(r.lat)
	}));
}
