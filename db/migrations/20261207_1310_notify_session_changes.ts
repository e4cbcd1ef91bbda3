import type { Knex } from 'knex';

/**
 * Servers keep the sessions they read for a few seconds (src/lib/server/accounts/session-cache.ts).
 * Every statement that changes or deletes sessions, or changes or deletes accounts — a
 * sign-out, a disabled account, a new role, from a server or from psql — announces it with
 * NOTIFY, so every server process forgets what it holds at once. Statement-level: a sign-out
 * is one notification, and so is a bulk change. Creating a session announces nothing: no
 * server can hold a session before it exists.
 */
export const SESSION_CHANGE_CHANNEL = 'sessions_changed';
const TABLES = ['sessions', 'users'];
const triggerName = (table: string) => `${table}_notify_session_changes`;

export async function up(knex: Knex): Promise<void> {
	await knex.raw(`
		CREATE FUNCTION notify_session_changes() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			PERFORM pg_notify('${SESSION_CHANGE_CHANNEL}', TG_TABLE_NAME);
			RETURN NULL;
		END
		$$`);
	for (const table of TABLES) {
		await knex.raw('CREATE TRIGGER ?? AFTER UPDATE OR DELETE OR TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes()', [triggerName(table), table]);
	}
}

export async function down(knex: Knex): Promise<void> {
	for (const table of TABLES) await knex.raw('DROP TRIGGER IF EXISTS ?? ON ??', [triggerName(table), table]);
	await knex.raw('DROP FUNCTION IF EXISTS notify_session_changes()');
}
