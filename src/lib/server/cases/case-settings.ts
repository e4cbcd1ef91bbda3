/**
 * The case loop's settings, as data an admin edits on /admin/cases: the 12 ledger categories
 * (default handler, the department, whether reports may use them), the time limits per
 * matter type × urgency, each department's acknowledgement limit, and the Open311 API keys
 * other apps report with. Every change is one transaction with an audit row that says what
 * it was before and after. cases.ts reads these tables on every write (no cache), so a
 * change applies to the next case at once. http/case-settings.ts reads the changes from requests.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { audit } from '../platform/audit.js';
import { summary as calendarSummary } from '../platform/calendar.js';
import { MATTER_TYPES, URGENCIES, type IssueSource, type MatterType, type Publication, type Urgency } from '../../domain/glossary.js';

export const HANDLER_KINDS = ['grid_worker', 'community', 'department'] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

/** The limits the tables' CHECK constraints hold (migrations 0370, 0410), read here first so a bad value is a 400 naming the field, not a 500. */
export const MAX_LIMIT_HOURS = 10_000;
export const MAX_ACK_HOURS = 1_000;

// ---------------------------------------------------------------- categories

export interface CategorySetting {
	code: string;
	handler: HandlerKind;
	department: { code: string; name: string } | null;
	active: boolean;
	sort: number;
	/** what the public sees of its cases (case-publication.ts) */
	publication: Publication;
}

const CATEGORY_SQL = `SELECT c.code, c.handler, c.active, c.sort, c.publication,
		CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('code', d.code, 'name', d.name) END AS department
	FROM case_categories c LEFT JOIN departments d ON d.id = c.department_id`;

/** Every category, inactive ones too, in the ledgers' order. */
export async function categories(knex: Knex): Promise<CategorySetting[]> {
	return (await knex.raw(`${CATEGORY_SQL} ORDER BY c.sort, c.code`)).rows;
}

export interface CategoryChange {
	handler: HandlerKind;
	/** undefined: keep the linked department; null: unlink it; a code: link that department */
	department_code?: string | null;
	/** undefined: unchanged */
	active?: boolean;
	/** undefined: unchanged */
	publication?: Publication;
}

/**
 * Changes a category's rule. The department stays linked when the handler is not
 * 'department' (the sample links one to every category: where it escalates), so switching
 * back and forth loses nothing; a 'department' handler without one is refused, since
 * dispatch would quietly fall back to the community.
 */
export async function updateCategory(knex: Knex, actor: User, code: string, change: CategoryChange): Promise<CategorySetting> {
	return knex.transaction(async (trx) => {
		let departmentId: number | null | undefined;
		if (typeof change.department_code === 'string') {
			const department = await trx('departments').where({ code: change.department_code }).first('id');
			if (!department) fail(400, `department_code '${change.department_code.slice(0, 60)}' is not a known department`);
			departmentId = department.id;
		} else if (change.department_code === null) departmentId = null;
		// Locked, so the audit row's "before" is what this change replaced.
		const before = (await trx.raw(`${CATEGORY_SQL} WHERE c.code = :code FOR UPDATE OF c`, { code })).rows[0] as CategorySetting | undefined;
		if (!before) fail(404, `no case category '${code.slice(0, 60)}'`);
		const linked = departmentId !== undefined ? departmentId : before.department;
		if (change.handler === 'department' && linked === null) fail(400, 'department_code is required when handler is department');
		await trx('case_categories')
			.where({ code })
			.update({
				handler: change.handler,
				...(departmentId !== undefined ? { department_id: departmentId } : {}),
				...(change.active !== undefined ? { active: change.active } : {}),
				...(change.publication !== undefined ? { publication: change.publication } : {}),
				updated_at: trx.fn.now()
			});
		const after = (await trx.raw(`${CATEGORY_SQL} WHERE c.code = :code`, { code })).rows[0] as CategorySetting;
		await audit(trx, actor, 'update_case_category', `case_category:${code}`, { before, after });
		return after;
	});
}

// ---------------------------------------------------------------- time limits

export interface TimeLimit {
	matter_type: MatterType;
	urgency: Urgency;
	hours: number;
}

export async function timeLimits(knex: Knex): Promise<TimeLimit[]> {
	const rows = (await knex('case_time_limits').select('matter_type', 'urgency', 'hours')) as TimeLimit[];
	// The glossary's order (大事 … 难事, 一般 before 紧急), not the text's.
	const rank = (l: TimeLimit) => MATTER_TYPES.indexOf(l.matter_type) * URGENCIES.length + URGENCIES.indexOf(l.urgency);
	return rows.sort((a, b) => rank(a) - rank(b));
}

/**
 * Sets time limits, all or none. A case takes its deadline when it is created (due_at), so
 * open cases keep theirs: a new limit applies to cases reported from now on.
 */
export async function updateTimeLimits(knex: Knex, actor: User, limits: TimeLimit[]): Promise<TimeLimit[]> {
	return knex.transaction(async (trx) => {
		const before = (await trx('case_time_limits').forUpdate().select('matter_type', 'urgency', 'hours')) as TimeLimit[];
		const changed = limits.filter((l) => before.find((b) => b.matter_type === l.matter_type && b.urgency === l.urgency)?.hours !== l.hours);
		if (changed.length > 0) {
			// An upsert, so a pair missing from the seed is added rather than silently skipped.
			await trx('case_time_limits')
				.insert(changed.map((l) => ({ ...l, updated_at: trx.fn.now() })))
				.onConflict(['matter_type', 'urgency'])
				.merge(['hours', 'updated_at']);
			await audit(trx, actor, 'update_case_time_limits', 'case_time_limits', {
				changed: changed.map((l) => ({ ...l, was: before.find((b) => b.matter_type === l.matter_type && b.urgency === l.urgency)?.hours ?? null }))
			});
		}
		return timeLimits(trx);
	});
}

// ---------------------------------------------------------------- departments

export interface DepartmentSetting {
	code: string;
	name: string;
	ack_limit_hours: number;
}

export async function departments(knex: Knex): Promise<DepartmentSetting[]> {
	return (await knex('departments').select('code', 'name', 'ack_limit_hours').orderBy('code')) as DepartmentSetting[];
}

/** Sets the working hours a department has to acknowledge (报到) an escalation; escalations already made keep their ack_due_at. */
export async function updateAckLimit(knex: Knex, actor: User, code: string, hours: number): Promise<DepartmentSetting> {
	return knex.transaction(async (trx) => {
		const before = await trx('departments').where({ code }).forUpdate().first('ack_limit_hours');
		if (!before) fail(404, `no department '${code.slice(0, 60)}'`);
		const [after] = (await trx('departments').where({ code }).update({ ack_limit_hours: hours, updated_at: trx.fn.now() }, ['code', 'name', 'ack_limit_hours'])) as DepartmentSetting[];
		await audit(trx, actor, 'update_ack_limit', `department:${code}`, { before: before.ack_limit_hours, after: hours });
		return after;
	});
}

// ---------------------------------------------------------------- Open311 API keys

export interface ApiKeyRow {
	id: number;
	name: string;
	source: IssueSource;
	created_at: string;
	revoked_at: string | null;
	created_by: string | null;
}

/** The stored form of a key: its SHA-256 in hex. A key is 32 random bytes, so no salt or slow hash is needed against guessing. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Every key, newest first, with who issued it; never the hash. */
export async function apiKeys(knex: Knex): Promise<ApiKeyRow[]> {
	return (
		await knex.raw(`SELECT k.id, k.name, k.source, k.created_at, k.revoked_at, u.username AS created_by
			FROM api_keys k LEFT JOIN users u ON u.id = k.created_by ORDER BY k.created_at DESC, k.id DESC`)
	).rows;
}

/** Issues a key; the answer is the only time the key itself exists outside the app that holds it. */
export async function issueApiKey(knex: Knex, actor: User, name: string, source: IssueSource): Promise<ApiKeyRow & { key: string }> {
	const key = randomBytes(32).toString('base64url');
	return knex.transaction(async (trx) => {
		const [row] = await trx('api_keys')
			// created_by is null for the system admin (id 0, no users row), e.g. a CLI.
			.insert({ name, source, key_hash: hashApiKey(key), created_by: actor.id > 0 ? actor.id : null })
			.returning(['id', 'name', 'source', 'created_at', 'revoked_at']);
		await audit(trx, actor, 'issue_api_key', `api_key:${row.id}`, { name, source });
		return { ...row, created_by: actor.username, key };
	});
}

/** Revokes a key; revoking it again keeps the first revoked_at and writes no second audit row. */
export async function revokeApiKey(knex: Knex, actor: User, id: number): Promise<ApiKeyRow> {
	return knex.transaction(async (trx) => {
		const [revoked] = await trx('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() }, ['id', 'name']);
		if (revoked) await audit(trx, actor, 'revoke_api_key', `api_key:${id}`, { name: revoked.name });
		const row = (await apiKeys(trx)).find((k) => k.id === id);
		if (!row) fail(404, `no API key ${id}`);
		return row;
	});
}

// ---------------------------------------------------------------- the admin page

/** Everything /admin/cases shows, for an admin. */
export async function adminPage(knex: Knex) {
	const calendar = await calendarSummary(knex);
	return {
		categories: await categories(knex),
		limits: await timeLimits(knex),
		departments: await departments(knex),
		calendar: calendar.years.map((y) => ({ year: y.year, source: y.source, provisional: y.provisional, days: y.days.length })),
		keys: await apiKeys(knex)
	};
}
