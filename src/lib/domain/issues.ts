/**
 * Issue rules shared by server queries and the map: which statuses are still open, and when
 * an issue counts as overdue (open and past its time limit).
 */
import type { IssueStatus } from './glossary.js';

/** Statuses where the loop is finished or the issue was turned away. */
export const FINISHED_STATUSES: readonly IssueStatus[] = ['resolved', 'verified', 'closed', 'rejected'];

export const OPEN_STATUSES: readonly IssueStatus[] = [
	'reported',
	'registered',
	'dispatched',
	'in_progress',
	'returned',
	'escalated',
	'backlog',
	'reopened'
];

export function isOverdue(status: IssueStatus, dueAt: Date | string | null, now: Date = new Date()): boolean {
	if (dueAt === null || FINISHED_STATUSES.includes(status)) return false;
	return new Date(dueAt).getTime() < now.getTime();
}

/**
 * Whether the issue under `alias` (an identifier from code, never input) is still open, in
 * SQL: the one place the finished statuses are written into a statement.
 */
export function openSql(alias: string): string {
	return `${alias}.status NOT IN (${FINISHED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
}

/**
 * The overdue rule in SQL for the issues table under `alias`; keep the two in step (tests
 * compare them).
 */
export function overdueSql(alias: string): string {
	return `(${alias}.due_at IS NOT NULL AND ${alias}.due_at < now() AND ${openSql(alias)})`;
}
