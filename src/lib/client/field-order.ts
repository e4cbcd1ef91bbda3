/**
 * The field worker's buildings as the phone lists and marks them (issue 13): what state each
 * is in, and the order to walk them — those not visited this month first, each group nearest
 * first from where the worker stands. Plain functions, so the unit tests need no browser.
 */
import { bearingDegrees, compassPoint, distanceMetres, type CompassPoint } from '$lib/geo/bearing';

export interface Head {
	role: string;
	name: string;
	phone: string | null;
}

/** A row of GET /api/me/buildings. The fields after `distance_m` come with the visits branch; until then they may be absent. */
export interface FieldBuilding {
	code: string;
	address: string | null;
	grid_code: string | null;
	grid_name: string | null;
	floors: number | null;
	households: number;
	heads: Head[];
	open_issues: number;
	lng: number;
	lat: number;
	distance_m: number | null;
	last_visit_at?: string | null;
	visited_this_month?: boolean;
	heads_missing?: boolean;
	rain_check_due?: boolean;
	bearing_deg?: number | null;
}

/** What the map marks a building by, from the row (older rows: heads missing from the heads list, nothing else known). */
export interface BuildingState {
	headsMissing: boolean;
	openCases: boolean;
	rainCheckDue: boolean;
	visited: boolean;
}

export function buildingState(b: FieldBuilding): BuildingState {
	return {
		headsMissing: b.heads_missing ?? b.heads.length === 0,
		openCases: b.open_issues > 0,
		rainCheckDue: b.rain_check_due ?? false,
		visited: b.visited_this_month ?? false
	};
}

export interface RankedBuilding extends FieldBuilding {
	state: BuildingState;
	/** metres from the position, null without one */
	metres: number | null;
	bearing: number | null;
	compass: CompassPoint | null;
}

/**
 * Not visited this month first, then nearest first from `from` (the phone's or a chosen
 * position), then by code. Without a position: not visited first, then by code. Distance and
 * bearing are worked out here, not taken from the row, so they follow the phone as it moves
 * without asking the server again.
 */
export function rankBuildings(buildings: FieldBuilding[], from: [number, number] | null): RankedBuilding[] {
	const ranked = buildings.map((b): RankedBuilding => {
		const to: [number, number] = [b.lng, b.lat];
		const metres = from ? distanceMetres(from, to) : null;
		const bearing = from && metres !== null && metres > 0 ? bearingDegrees(from, to) : null;
		return { ...b, state: buildingState(b), metres, bearing, compass: bearing === null ? null : compassPoint(bearing) };
	});
	return ranked.sort(
		(a, b) =>
			Number(a.state.visited) - Number(b.state.visited) ||
			(a.metres ?? Infinity) - (b.metres ?? Infinity) ||
			(a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
	);
}

/**
 * The building a door plate names: its code exactly (case and spaces aside, as a scanner or a
 * thumb may give them), else the one address that contains the text. Null when none or
 * several addresses match.
 */
export function findBuilding<T extends FieldBuilding>(buildings: T[], query: string): T | null {
	const q = query.trim();
	if (!q) return null;
	const code = q.replace(/\s+/g, '').toUpperCase();
	const byCode = buildings.find((b) => b.code.toUpperCase() === code);
	if (byCode) return byCode;
	const byAddress = buildings.filter((b) => b.address?.includes(q));
	return byAddress.length === 1 ? byAddress[0] : null;
}
