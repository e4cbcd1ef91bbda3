/**
 * The 合江县 outline: conversion of the public GCJ-02 fence (Vonng/adcode) to the WGS84 file the
 * project ships. Kept apart from scripts/county.ts (which only does the file I/O) so the unit
 * test can rerun exactly the same conversion and compare it with the committed file.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { gcj02ToWgs84 } from './crs.js';

export const COUNTY_CODE = '510522';
export const COUNTY_NAME = '合江县';
export const COUNTY_SOURCE =
	'Vonng/adcode data/fences/510522.json (CC BY 4.0), converted GCJ-02 → WGS84 by scripts/county.ts';

export interface CountyProperties {
	code: string;
	name: string;
	source: string;
}

export type CountyCollection = FeatureCollection<MultiPolygon, CountyProperties>;

/** 7 decimals is about 1 cm, finer than the source's 6 decimals (~10 cm) and the GCJ inverse error. */
const DECIMALS = 1e7;

function round(v: number): number {
	const r = Math.round(v * DECIMALS) / DECIMALS;
	// Avoid "-0" in the output: it is a different JSON text for the same value.
	return r === 0 ? 0 : r;
}

/** Twice the signed planar area (shoelace); positive for a counter-clockwise ring in lng/lat. */
function signedArea2(ring: Position[]): number {
	let s = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
	}
	return s;
}

/** Converts, rounds and drops repeated vertices that rounding may create; keeps the ring closed. */
function convertRing(ring: Position[]): Position[] {
	const out: Position[] = [];
	for (const p of ring) {
		const [lng, lat] = gcj02ToWgs84([p[0], p[1]]);
		const q = [round(lng), round(lat)];
		const prev = out[out.length - 1];
		if (prev && prev[0] === q[0] && prev[1] === q[1]) continue;
		out.push(q);
	}
	const first = out[0];
	const last = out[out.length - 1];
	if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
	if (out.length < 4) throw new Error(`a ring collapsed to ${out.length} positions after conversion`);
	return out;
}

/** RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise. */
function orient(ring: Position[], exterior: boolean): Position[] {
	const ccw = signedArea2(ring) > 0;
	return ccw === exterior ? ring : [...ring].reverse();
}

/**
 * The county outline in WGS84 as a one-feature FeatureCollection with a MultiPolygon
 * (every layer in the project stores MultiPolygons). Deterministic: same input, same output.
 */
export function convertCountyOutline(gcjPolygon: Polygon | MultiPolygon): CountyCollection {
	if (gcjPolygon?.type !== 'Polygon' && gcjPolygon?.type !== 'MultiPolygon') {
		throw new Error(`expected a GCJ-02 Polygon or MultiPolygon, got ${String((gcjPolygon as { type?: unknown })?.type)}`);
	}
	const polygons = gcjPolygon.type === 'Polygon' ? [gcjPolygon.coordinates] : gcjPolygon.coordinates;
	const coordinates = polygons.map((rings) => rings.map((ring, i) => orient(convertRing(ring), i === 0)));
	const feature: Feature<MultiPolygon, CountyProperties> = {
		type: 'Feature',
		properties: { code: COUNTY_CODE, name: COUNTY_NAME, source: COUNTY_SOURCE },
		geometry: { type: 'MultiPolygon', coordinates }
	};
	return { type: 'FeatureCollection', features: [feature] };
}

/**
 * The file text: indented JSON with one position per line, so a later change to the outline
 * shows as a readable diff instead of one 80 kB line. Ends with a newline.
 */
export function formatCountyGeoJson(fc: CountyCollection): string {
	const text = JSON.stringify(fc, null, '\t');
	// JSON.stringify puts each ordinate on its own line; fold positions back onto one line.
	return `${text.replace(/\[\s+(-?[\d.eE+-]+),\s+(-?[\d.eE+-]+)\s+\]/g, '[$1, $2]')}\n`;
}
