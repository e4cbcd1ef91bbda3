/**
 * Where a point lies for the grid worker (issue 21): the territory check before a report is
 * sent (the server's answer, or the phone's own from the kept outline without a signal), and
 * a point said as a place — "位于 江南小区3栋", "枣林桥路 12 号附近 40 米" — rather than as
 * longitude and latitude.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { distanceMetres } from '$lib/geo/bearing';
import { holds } from '$lib/geo/outside';
import type { FieldBuilding } from './field-order';
import type { Locale, MessageKey } from '$lib/i18n';

/** GET /api/me/placement */
export interface PlaceCheck {
	in_county: boolean;
	in_territory: boolean;
	community: { code: string; name: string } | null;
	grid: { code: string; name: string } | null;
	nearest: { code: string; address: string | null; lng: number; lat: number; distance_m: number } | null;
}

interface Translator {
	current: Locale;
	t(key: MessageKey, params?: Record<string, string | number>): string;
}

/** The building of `buildings` nearest `at`, with its distance. */
export function nearestBuilding<T extends FieldBuilding>(at: [number, number], buildings: T[]): { building: T; metres: number } | null {
	let best: { building: T; metres: number } | null = null;
	for (const b of buildings) {
		const metres = distanceMetres(at, [b.lng, b.lat]);
		if (!best || metres < best.metres) best = { building: b, metres };
	}
	return best;
}

/**
 * Asks the server where the point lies; without a signal, answers from the kept territory
 * outline and buildings (no community then: the server decides when the report is sent).
 * Null when neither can tell.
 */
export async function checkPlace(at: [number, number], territory: Polygon | MultiPolygon | null, buildings: FieldBuilding[]): Promise<PlaceCheck | null> {
	try {
		const q = new URLSearchParams({ lng: at[0].toFixed(7), lat: at[1].toFixed(7) });
		const res = await fetch(`/api/me/placement?${q}`, { headers: { accept: 'application/json' } });
		if (res.ok) return (await res.json()) as PlaceCheck;
	} catch {
		// No signal: the phone's own answer below.
	}
	if (!territory) return null;
	const near = nearestBuilding(at, buildings);
	return {
		in_county: true,
		in_territory: holds(territory, at),
		community: null,
		grid: null,
		nearest: near ? { code: near.building.code, address: near.building.address, lng: near.building.lng, lat: near.building.lat, distance_m: Math.round(near.metres) } : null
	};
}

/** "120 米", "1.7 公里". */
export function distanceText(metres: number, locale: Translator): string {
	return metres < 1000 ? locale.t('fieldMetres', { n: Math.round(metres) }) : locale.t('fieldKilometres', { n: (metres / 1000).toFixed(1) });
}

/** Within this many metres of a building's anchor a point is "at" it. */
const AT_BUILDING_M = 15;

/** A point as a place: at or near the nearest of the worker's buildings, and whether it is in their grid. */
export function describePlace(at: [number, number], buildings: FieldBuilding[], territory: Polygon | MultiPolygon | null, locale: Translator): string | null {
	const near = nearestBuilding(at, buildings);
	if (!near) return null;
	const name = near.building.address ?? near.building.code;
	const where = near.metres <= AT_BUILDING_M ? locale.t('pinAtBuilding', { name }) : locale.t('pinNearBuilding', { name, distance: distanceText(near.metres, locale) });
	if (!territory) return where;
	return holds(territory, at) ? where : `${where} · ${locale.t('placeOutsideShort')}`;
}
