/**
 * The overview map's layers as GeoJSON. Only fine for the sample's size: the map issue
 * replaces the large layers with vector tiles.
 */
import type { Knex } from 'knex';

const LAYERS = {
	county: { table: 'county', properties: ['code', 'name'] },
	streets: { table: 'streets', properties: ['code', 'name'] },
	communities: { table: 'communities', properties: ['code', 'name'] },
	grids: { table: 'grids', properties: ['code', 'name'] },
	compounds: { table: 'compounds', properties: ['code', 'name', 'is_old'] },
	buildings: { table: 'buildings', properties: ['code', 'address', 'floors', 'households'] },
	issues: { table: 'issues', properties: ['code', 'title', 'status', 'category'] },
	renovation: { table: 'renovation_projects', properties: ['code', 'name', 'status'] },
	flood: { table: 'flood_spots', properties: ['code', 'name', 'severity'] }
} as const;
export type OverviewLayer = keyof typeof LAYERS;
export const OVERVIEW_LAYERS = Object.keys(LAYERS) as OverviewLayer[];

export function isOverviewLayer(name: string): name is OverviewLayer {
	return Object.hasOwn(LAYERS, name);
}

export async function featureCollection(knex: Knex, layer: OverviewLayer): Promise<unknown> {
	const { table, properties } = LAYERS[layer];
	// Table and property names come from the allow-list above, never from the request.
	const { rows } = await knex.raw<{ rows: { fc: unknown }[] }>(
		`SELECT json_build_object(
			'type', 'FeatureCollection',
			'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'geometry', ST_AsGeoJSON(t.geom, 6)::json,
				'properties', json_build_object(${properties.map(() => '?::text, ??').join(', ')})
			)), '[]'::json)
		) AS fc
		FROM ?? AS t`,
		[...properties.flatMap((p) => [p, `t.${p}`]), table]
	);
	return rows[0].fc;
}
