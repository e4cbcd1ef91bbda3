/**
 * An area as the boundary editor opens it: its outline, the day it took effect, and the
 * outlines of its neighbours at the same level (those within about a kilometre), to draw
 * against. The editor's own checks (boundaries.ts) run when a change is previewed.
 */
import type { Knex } from 'knex';
import type { MultiPolygon, Polygon } from 'geojson';
import type { BoundaryLevel } from './boundaries.js';
import { LEVEL_TABLE } from '../platform/tables.js';

export interface BoundaryArea {
	level: BoundaryLevel;
	code: string;
	name: string;
	/** the day the present outline took effect, YYYY-MM-DD */
	validFrom: string;
	geometry: Polygon | MultiPolygon;
	neighbours: { code: string; geometry: unknown }[];
}

/** The area at a level by its code, or null when there is none. */
export async function boundaryArea(knex: Knex, level: BoundaryLevel, code: string): Promise<BoundaryArea | null> {
	const { rows } = await knex.raw(
		`SELECT code, name, boundary_valid_from, ST_AsGeoJSON(geom, 7) AS geometry,
			(SELECT json_agg(json_build_object('code', n.code, 'geometry', ST_AsGeoJSON(n.geom, 7)::json))
			 FROM ${LEVEL_TABLE[level]} n WHERE n.id <> t.id AND ST_DWithin(n.geom, t.geom, 0.01)) AS neighbours
		 FROM ${LEVEL_TABLE[level]} t WHERE t.code = :code`,
		{ code }
	);
	if (!rows.length) return null;
	const area = rows[0];
	return {
		level,
		code: area.code as string,
		name: area.name as string,
		validFrom: new Date(area.boundary_valid_from).toISOString().slice(0, 10),
		geometry: JSON.parse(area.geometry),
		neighbours: (area.neighbours ?? []) as { code: string; geometry: unknown }[]
	};
}
