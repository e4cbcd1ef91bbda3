/**
 * Distance and bearing on the ground between two [lng, lat] points, for "东北 120 米" in the
 * field worker's list (issue 13). Buildings of one grid lie a few hundred metres apart, so the
 * haversine formula on a sphere of the mean Earth radius is as good as the ellipsoid here (it
 * differs from PostGIS's geography distance by under 0.5%).
 */

/** the mean Earth radius (IUGG), metres */
const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Metres on the ground from `a` to `b`. */
export function distanceMetres(a: [number, number], b: [number, number]): number {
	const dLat = rad(b[1] - a[1]);
	const dLng = rad(b[0] - a[0]);
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The initial bearing from `a` to `b`, degrees clockwise from north in [0, 360). */
export function bearingDegrees(a: [number, number], b: [number, number]): number {
	const φ1 = rad(a[1]);
	const φ2 = rad(b[1]);
	const Δλ = rad(b[0] - a[0]);
	const y = Math.sin(Δλ) * Math.cos(φ2);
	const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
	const deg = (Math.atan2(y, x) * 180) / Math.PI;
	return (deg + 360) % 360;
}

/** The eight compass points, clockwise from north: what a bearing is called out loud. */
export const COMPASS_POINTS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
export type CompassPoint = (typeof COMPASS_POINTS)[number];

/** The nearest of the eight compass points (each covers 45°, north from 337.5° to 22.5°). */
export function compassPoint(bearing: number): CompassPoint {
	const normalised = ((bearing % 360) + 360) % 360;
	return COMPASS_POINTS[Math.round(normalised / 45) % 8];
}
