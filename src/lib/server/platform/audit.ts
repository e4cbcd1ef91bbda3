/**
 * The audit row every change that matters leaves (DESIGN: every change runs in a transaction
 * and leaves an event or audit row): who, what, which record, and the detail as JSON. Written
 * with the change's transaction, so a change that rolls back leaves no row either.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/accounts.js';

export async function audit(trx: Knex, user: User, action: string, entity: string, detail: unknown): Promise<void> {
	await trx('audit_log').insert({ actor: user.username, action, entity, detail: JSON.stringify(detail) });
}
