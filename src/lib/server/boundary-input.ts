/** Reading a boundary change request; every bad field is a 400 naming it. */
import { error } from '@sveltejs/kit';
import type { Geometry } from 'geojson';
import { BOUNDARY_LEVELS, type BoundaryLevel } from './boundaries.js';
import { readGeoJson } from '../geo/geojson-check.js';
import { geometryToWgs84, parseCrs } from '../geo/crs.js';

export interface BoundaryRequest {
	level: BoundaryLevel;
	code: string;
	geometry: Geometry;
}

export async function readBoundary(request: Request): Promise<BoundaryRequest & { body: Record<string, unknown> }> {
	let body: Record<string, unknown>;
	try {
		body = (await request.json()) ?? {};
	} catch {
		error(400, 'the body must be JSON: {"level", "code", "geometry", "crs"?}');
	}
	if (!BOUNDARY_LEVELS.includes(body.level as BoundaryLevel)) error(400, `level must be one of ${BOUNDARY_LEVELS.join(', ')}`);
	if (typeof body.code !== 'string' || !body.code) error(400, 'code is required');
	const crs = parseCrs(typeof body.crs === 'string' ? body.crs : 'wgs84');
	if (!crs) error(400, `crs '${body.crs}' is not known; use wgs84, gcj02, cgcs2000 or epsg:3857`);
	// The same structural checks as the import: closed rings, finite coordinates in range.
	const read = readGeoJson(JSON.stringify(body.geometry ?? null), { allowed: ['Polygon', 'MultiPolygon'], crs });
	if (!read.ok) error(400, `geometry: ${read.error}`);
	if (read.problems.length) error(400, `geometry: ${read.problems.map((p) => p.reason).join('; ')}`);
	if (read.features.length !== 1) error(400, 'geometry must be one Polygon or MultiPolygon');
	return { body, level: body.level as BoundaryLevel, code: body.code, geometry: geometryToWgs84(read.features[0].geometry, crs) };
}
