/**
 * The audit row every change that matters leaves (DESIGN: every change runs in a transaction
 * and leaves an event or audit row): who, what, which record, and the detail as JSON. Written
 * with the change's transaction, so a change that rolls back leaves no row either.
 */
import type { Knex } from 'knex';
import type { User } from '../accounts/user.js';

/**
 * `who` is the acting account, or the name an actor without one goes by: 'anonymous' (a
 * failed sign-in), 'system' (a lock it imposed), 'import-cli', or the username a caller holds.
 */
export async function audit(trx: Knex, who: Pick<User, 'username'> | string, action: string, entity: string, detail: unknown): Promise<void> {
	await trx('audit_log').insert({ actor: typeof who === 'string' ? who : who.username, action, entity, detail: JSON.stringify(detail) });
}
