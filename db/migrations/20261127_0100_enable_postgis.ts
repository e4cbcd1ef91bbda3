import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
	await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis');
}

// No down: other databases objects (and other schemas) may depend on PostGIS; dropping it is a DBA's call.
export async function down(): Promise<void> {}
