import type { Knex } from 'knex';

/**
 * What a rain alert covers, as the planner chose it (issue 21, point 1): per flood-spot status
 * the lowest severity that counts (a status left out counts no spot), and optionally the grids
 * and communities it is limited to (by code; none listed means the whole county). Alerts made
 * before counted every active spot whatever its severity, and that is what they keep.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.raw(`ALTER TABLE rain_alerts
		ADD COLUMN spot_severities jsonb NOT NULL DEFAULT '{"active": "low"}'::jsonb,
		ADD COLUMN grid_codes text[] NOT NULL DEFAULT '{}',
		ADD COLUMN community_codes text[] NOT NULL DEFAULT '{}'`);
	// Each key a flood-spot status, each value a severity: the rule the alert's SQL reads.
	await knex.raw(`ALTER TABLE rain_alerts ADD CONSTRAINT rain_alerts_spot_severities_known CHECK (
		jsonb_typeof(spot_severities) = 'object'
		AND spot_severities - ARRAY['active', 'monitoring', 'fixed'] = '{}'::jsonb
		AND COALESCE(spot_severities ->> 'active', 'low') IN ('low', 'medium', 'high')
		AND COALESCE(spot_severities ->> 'monitoring', 'low') IN ('low', 'medium', 'high')
		AND COALESCE(spot_severities ->> 'fixed', 'low') IN ('low', 'medium', 'high'))`);
}

export async function down(knex: Knex): Promise<void> {
	await knex.raw('ALTER TABLE rain_alerts DROP CONSTRAINT rain_alerts_spot_severities_known');
	await knex.schema.alterTable('rain_alerts', (t) => {
		t.dropColumns('spot_severities', 'grid_codes', 'community_codes');
	});
}
