import type { Knex } from 'knex';

/**
 * A data version per tile layer, so cached tiles of one layer go stale when, and only when,
 * that layer's data changes. Every statement that writes a table bumps the version of each
 * layer the table shows in (communities also carry their street's code, grids their
 * community's) and announces it with NOTIFY, so servers learn of it at once — the import
 * CLI writes from another process. Statement-level: a million-row load bumps once.
 */
export const TABLE_LAYERS: Record<string, string[]> = {
	streets: ['streets', 'communities'],
	communities: ['communities', 'grids'],
	grids: ['grids'],
	compounds: ['compounds'],
	buildings: ['buildings'],
	issues: ['issues'],
	renovation_projects: ['renovation'],
	flood_spots: ['flood']
};
export const LAYER_VERSION_CHANNEL = 'layer_versions';

const LAYERS = [...new Set(Object.values(TABLE_LAYERS).flat())];
const triggerName = (table: string) => `${table}_bump_layer_versions`;

export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('layer_versions', (t) => {
		t.text('layer').primary();
		t.bigInteger('version').notNullable().defaultTo(1);
		t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
	});
	await knex('layer_versions').insert(LAYERS.map((layer) => ({ layer })));
	await knex.raw(`
		CREATE FUNCTION bump_layer_versions() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			UPDATE layer_versions SET version = version + 1, changed_at = now() WHERE layer = ANY (TG_ARGV);
			PERFORM pg_notify('${LAYER_VERSION_CHANNEL}', array_to_string(TG_ARGV, ','));
			RETURN NULL;
		END
		$$`);
	for (const [table, layers] of Object.entries(TABLE_LAYERS)) {
		// Layer names are code constants, quoted as trigger arguments.
		await knex.raw(
			`CREATE TRIGGER ?? AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_versions(${layers.map((l) => `'${l}'`).join(', ')})`,
			[triggerName(table), table]
		);
	}
}

export async function down(knex: Knex): Promise<void> {
	for (const table of Object.keys(TABLE_LAYERS)) await knex.raw('DROP TRIGGER IF EXISTS ?? ON ??', [triggerName(table), table]);
	await knex.raw('DROP FUNCTION IF EXISTS bump_layer_versions()');
	await knex.schema.dropTableIfExists('layer_versions');
}
