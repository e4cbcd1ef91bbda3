/**
 * Outline layers as GeoJSON, for small maps that want whole polygons (the county outline on
 * the main map, overview maps). Only outlines: they are public reference geography, while
 * data layers (buildings, issues, renovation, flood) go through the territory-filtered tiles.
 */
import type { Knex } from 'knex';

const LAYERS = {
	county: { table: 'county', properties: ['code', 'name'] },
	streets: { table: 'streets', properties: ['code', 'name'] },
	communities: { table: 'communities', properties: ['code', 'name'] },
	grids: { table: 'grids', properties: ['code', 'name'] },
	compounds: { table: 'compounds', properties: ['code', 'name', 'is_old'] }
} as const;
export type OutlineLayer = keyof typeof LAYERS;
export const OUTLINE_LAYERS = Object.keys(LAYERS) as OutlineLayer[];

export function isOutlineLayer(name: string): name is OutlineLayer {
	return Object.hasOwn(LAYERS, name);
}

export async function featureCollection(knex: Knex, layer: OutlineLayer): Promise<unknown> {
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
