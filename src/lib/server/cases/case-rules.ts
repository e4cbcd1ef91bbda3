/**
 * Who may do what to a case. The transitions are data (table case_transitions, migration
 * 0390): a row says a role may move a case from one status to another given a reach over
 * it. What the caller holds over one case — inside their territory, its handler, its
 * reporter, its resolver — is read by one statement (`factsSql`) and matched against the
 * rows here, so the answer to "may I?" and the list of what a caller may do come from the
 * same place.
 */
import type { Knex } from 'knex';
import type { User, UserRole } from '../accounts/user.js';
import { fail } from '../platform/errors.js';
import { ADMINISTERED_COMMUNITIES } from '../ownership/territory.js';
import { held } from '../platform/held.js';
import type { IssueStatus } from '../../domain/glossary.js';

export type Reach = 'any' | 'territory' | 'handler' | 'reporter';

export interface TransitionRule {
	from_status: IssueStatus;
	to_status: IssueStatus;
	/** `resident`: the reporter through their private link (case-reporter.ts), never a signed-in role */
	role: UserRole | 'resident';
	reach: Reach;
	not_resolver: boolean;
}

/** What the caller holds over one case. */
export interface CaseFacts {
	status: IssueStatus;
	in_territory: boolean;
	is_handler: boolean;
	is_reporter: boolean;
	is_resolver: boolean;
}

const TTL_MS = 10_000;
let cached: { at: number; rules: TransitionRule[] } | null = null;

export async function transitionRules(knex: Knex): Promise<TransitionRule[]> {
	if (cached && Date.now() - cached.at < TTL_MS) return cached.rules;
	const rules = (await knex('case_transitions').select('from_status', 'to_status', 'role', 'reach', 'not_resolver').orderBy('id')) as TransitionRule[];
	cached = { at: Date.now(), rules };
	return rules;
}

/** Whether a rule lets this caller act on a case with these facts. */
export function permits(rule: TransitionRule, user: User, facts: CaseFacts): boolean {
	if (rule.role !== user.role || rule.from_status !== facts.status) return false;
	if (rule.not_resolver && facts.is_resolver) return false;
	switch (rule.reach) {
		case 'any':
			return true;
		case 'territory':
			return facts.in_territory;
		case 'handler':
			return facts.is_handler;
		case 'reporter':
			return facts.is_reporter;
	}
}

/** The statuses this caller may move the case to now, in the table's order. */
export function allowedTargets(rules: TransitionRule[], user: User | null, facts: CaseFacts): IssueStatus[] {
	if (!user) return [];
	return [...new Set(rules.filter((r) => permits(r, user, facts)).map((r) => r.to_status))];
}

/** The statuses reachable from `status` by anyone. */
export function targetsFrom(rules: TransitionRule[], status: IssueStatus): IssueStatus[] {
	return [...new Set(rules.filter((r) => r.from_status === status).map((r) => r.to_status))];
}

/**
 * Checks a transition: a 409 when no one may make it from the case's status, a 403 when
 * someone may but not this caller; both name what the caller may do instead.
 */
export function checkTransition(rules: TransitionRule[], user: User, facts: CaseFacts, to: IssueStatus): void {
	const allowed = allowedTargets(rules, user, facts);
	if (allowed.includes(to)) return;
	const yours = allowed.length ? allowed.join(', ') : 'none';
	if (!targetsFrom(rules, facts.status).includes(to)) {
		fail(409, `a case that is ${facts.status} cannot become ${to}; allowed to you: ${yours}`);
	}
	fail(403, `you may not move this ${facts.status} case to ${to}; allowed to you: ${yours}`);
}

/**
 * One statement for the facts of the case under alias `i`, for the caller bound as
 * :user, :person, :department, :role; `inTerritory` is the scope filter's SQL over i.geom.
 */
export function factsSql(inTerritory: string): string {
	return `${inTerritory} AS in_territory,
	${handlerSql()} AS is_handler,
	(i.reported_by IS NOT NULL AND i.reported_by = :user) AS is_reporter,
	(i.resolved_by IS NOT NULL AND i.resolved_by = :user) AS is_resolver`;
}

/**
 * Whether the caller (:role, :person, :department) handles the case under alias `i` now: the
 * grid worker of its grid, the department it was dispatched or escalated to, the community
 * admin of its community.
 */
export function handlerSql(): string {
	const current = held('a');
	return `CASE
		WHEN :role = 'grid_worker' THEN i.handler_kind = 'grid_worker' AND EXISTS (
			SELECT 1 FROM assignments a WHERE a.person_id = :person AND a.role = 'grid_worker' AND a.grid_id = i.handler_grid_id AND ${current})
		WHEN :role = 'department' THEN (i.handler_kind = 'department' AND i.handler_department_id = :department)
			OR EXISTS (SELECT 1 FROM case_escalations e WHERE e.issue_id = i.id AND e.department_id = :department)
		WHEN :role = 'community_admin' THEN i.handler_kind = 'community' AND i.handler_community_id IN (${ADMINISTERED_COMMUNITIES})
		ELSE false
	END`;
}

/** The bindings of factsSql for a caller. */
export function factsBindings(user: User | null): Record<string, unknown> {
	return { user: user?.id ?? -1, person: user?.person_id ?? -1, department: user?.department_id ?? -1, role: user?.role ?? 'anonymous' };
}

/**
 * The signed-in user when their role is one of `roles`; else a 401 or a 403 naming what was asked.
 * The cases no longer use it (their endpoints ask allow(), http/allow.ts); it stays while the
 * other concepts move to the permission table.
 */
export function requireRole(user: User | null, roles: readonly UserRole[], what: string): User {
	if (!user) fail(401, `sign in to ${what}`);
	if (!roles.includes(user.role)) fail(403, `a ${user.role} account may not ${what}`);
	return user;
}
