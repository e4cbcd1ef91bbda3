import type { Knex } from 'knex';

/**
 * Failed sign-ins, one row each, so the limits on guessing hold across several app processes
 * and a restart, and an admin can unlock an account (issue "Close the leaks", point 5). A row
 * is the attempt of one client: with a trusted device (device_id) it counts against that
 * device only; without one against the username at that address, the username from any
 * untrusted client, and the address across usernames (sign-in-limits.ts). `username` is the
 * name typed, not a reference: an unknown name must cost as much as a wrong password. Rows
 * older than the counting window are pruned by the app; nothing else reads them.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('sign_in_failures', (t) => {
		t.bigIncrements('id');
		t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
		t.text('username').notNullable();
		t.check('char_length(username) between 1 and 100', [], 'sign_in_failures_username_length');
		t.text('address').notNullable();
		t.check('char_length(address) <= 100', [], 'sign_in_failures_address_length');
		t.integer('device_id').references('sign_in_devices.id').onDelete('CASCADE');
		t.index(['username', 'at']);
		t.index(['address', 'at']);
		t.index(['at']);
	});
	await knex.raw('CREATE INDEX sign_in_failures_device_at ON sign_in_failures (device_id, at) WHERE device_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTable('sign_in_failures');
}
