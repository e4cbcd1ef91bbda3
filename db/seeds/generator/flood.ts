/**
 * 积水点 flood spots and their incident history.
 *
 * Spots sit inside their cell's slot area (so inside one grid): next to a building (the
 * seed's 千藤街48号 case: water backing into homes), on an empty lot as a small polygon, or as
 * a point. Spot j of a cell is reported by issue j of the same cell (issues.ts makes those
 * drainage issues), and a fixed spot in a cell with a renovation area names that project.
 */
import type { Point, Polygon, Position } from 'geojson';
import type { FloodCause, FloodSeverity, FloodStatus } from '../../../src/lib/domain/glossary.js';
import type { FloodIncidentRecord, FloodSpotRecord } from '../../../src/lib/domain/records.js';
import type { BuildingSpec, CellContent } from './buildings.js';
import { type Context, pad } from './context.js';
import { rotatedRectRing, toLngLat } from './geometry.js';
import { dayOf, isoDay } from './plan.js';
import { renovationCode } from './renovation.js';
import type { Rng } from './random.js';

export const floodCode = (h: number) => `F${pad(h + 1, 4)}`;
export const issueCode = (i: number) => `I${pad(i + 1, 8)}`;

export interface FloodSpec {
	index: number;
	ordinal: number;
	code: string;
	name: string;
	cause: FloodCause;
	severity: FloodSeverity;
	status: FloodStatus;
	issueCode: string | null;
	projectCode: string | null;
	/** the building it floods, if any (issues reporting it name that building) */
	building: BuildingSpec | null;
	/** a representative point in the local frame (the polygon's centre for polygons) */
	x: number;
	y: number;
	geometry: Point | Polygon;
	incidents: number;
	seed: boolean;
}

/** First draw of a spot's stream: how many incidents it has (read alone by counts()). */
export function incidentCount(rng: Rng): number {
	return rng.int(1, 4);
}

const CAUSES: readonly (readonly [FloodCause, number])[] = [
	['low_lying', 45],
	['backflow', 25],
	['drainage', 30]
];
const SEVERITIES: readonly (readonly [FloodSeverity, number])[] = [
	['low', 40],
	['medium', 40],
	['high', 20]
];
const STATUSES: readonly (readonly [FloodStatus, number])[] = [
	['active', 35],
	['monitoring', 30],
	['fixed', 35]
];

/** The address nearest to a point of the cell, to name a spot that is not at a building. */
function nearestPlace(cell: CellContent, x: number, y: number): string {
	let best: BuildingSpec | null = null;
	let bestDistance = Infinity;
	for (const b of cell.buildings) {
		const d = (b.x - x) ** 2 + (b.y - y) ** 2;
		if (d < bestDistance) {
			bestDistance = d;
			best = b;
		}
	}
	return best ? `${best.place}旁` : cell.road;
}

/** A point just south of a building's footprint: inside its slot and, if any, its compound. */
function besideBuilding(b: BuildingSpec): [number, number] {
	return [b.x, b.y - b.halfY - 1];
}

export function floodSpots(ctx: Context, cell: CellContent): FloodSpec[] {
	const { plan, layout } = ctx;
	const g = cell.grid;
	const spots: FloodSpec[] = [];
	const renovated = cell.compounds.filter((k) => k.flags.renovation >= 0);
	for (let j = 0; j < plan.floodCount[g]; j++) {
		const h = plan.floodStart[g] + j;
		const rng = ctx.streams.rng('flood', h);
		const incidents = incidentCount(rng);
		const isSeed = g === layout.seedCells.yiyuanjie && j === 0;
		let cause = rng.choose(CAUSES);
		let severity = rng.choose(SEVERITIES);
		let status = rng.choose(STATUSES);
		const project = status === 'fixed' && renovated.length > 0 ? renovated[rng.int(0, renovated.length - 1)] : null;
		const kind = rng.choose([
			['building', 45],
			['polygon', 30],
			['point', 25]
		] as const);
		const linked = j < plan.issueCount[g] && rng.chance(0.8);

		let building: BuildingSpec | null = null;
		let x: number;
		let y: number;
		let geometry: Point | Polygon;
		let name: string;
		if (isSeed) {
			const compound = cell.compounds.find((k) => k.index === plan.seedCompounds.jiangyuanping)!;
			building = cell.buildings[compound.buildings[0]];
			cause = 'backflow';
			severity = 'high';
			status = 'fixed';
		} else if (project && project.buildings.length > 0) {
			building = cell.buildings[rng.pick(project.buildings)];
		} else if ((kind === 'building' && cell.buildings.length > 0) || cell.emptySlots.length === 0) {
			building = cell.buildings[rng.int(0, cell.buildings.length - 1)];
		}
		if (building) {
			[x, y] = besideBuilding(building);
			geometry = { type: 'Point', coordinates: toLngLat(x, y) };
			name = isSeed ? '千藤街48号低洼积水点' : `${building.place}积水点`;
		} else {
			const slot = cell.slotRect(rng.pick(cell.emptySlots));
			const pitch = slot.east - slot.west;
			x = (slot.west + slot.east) / 2 + rng.range(-0.15, 0.15) * pitch;
			y = (slot.south + slot.north) / 2 + rng.range(-0.15, 0.15) * pitch;
			if (kind === 'polygon') {
				const ring: Position[] = rotatedRectRing(x, y, rng.range(12, 30), rng.range(8, 20), rng.range(-20, 20) * (Math.PI / 180));
				geometry = { type: 'Polygon', coordinates: [ring] };
				name = `${nearestPlace(cell, x, y)}低洼积水区`;
			} else {
				geometry = { type: 'Point', coordinates: toLngLat(x, y) };
				name = `${nearestPlace(cell, x, y)}路面积水点`;
			}
		}
		const projectCode = isSeed
			? renovationCode(0)
			: project
				? renovationCode(project.flags.renovation)
				: null;
		spots.push({
			index: h,
			ordinal: j,
			code: floodCode(h),
			name,
			cause,
			severity,
			status,
			issueCode: isSeed || linked ? issueCode(plan.issueStart[g] + j) : null,
			projectCode,
			building,
			x,
			y,
			geometry,
			incidents,
			seed: isSeed
		});
	}
	return spots;
}

export function floodRecord(spot: FloodSpec): FloodSpotRecord {
	return {
		code: spot.code,
		name: spot.name,
		cause: spot.cause,
		severity: spot.severity,
		status: spot.status,
		issue_code: spot.issueCode,
		project_code: spot.projectCode,
		geometry: spot.geometry
	};
}

const SEASONS = [
	[dayOf(2024, 5, 1), dayOf(2024, 9, 30)],
	[dayOf(2025, 5, 1), dayOf(2025, 9, 30)],
	[dayOf(2026, 5, 1), dayOf(2026, 9, 30)]
];
const DEPTH: Record<FloodSeverity, [number, number]> = { low: [5, 20], medium: [15, 40], high: [30, 90] };

/** Incidents of one spot, oldest first, on distinct rainy-season days. */
export function floodIncidents(ctx: Context, spot: FloodSpec): FloodIncidentRecord[] {
	const rng = ctx.streams.rng('flood-incidents', spot.index);
	const days = new Set<number>();
	// The seed's spot flooded the day before the joint meeting that reported it.
	if (spot.seed) days.add(dayOf(2025, 6, 19));
	while (days.size < spot.incidents) {
		const [from, to] = rng.pick(SEASONS);
		days.add(rng.int(from, to));
	}
	const [lo, hi] = DEPTH[spot.severity];
	return [...days]
		.sort((a, b) => a - b)
		.map((day) => {
			const depth = rng.int(lo, hi);
			return {
				flood_code: spot.code,
				occurred_on: isoDay(day),
				depth_cm: depth,
				rainfall_mm: Math.round(20 + depth * rng.range(1, 2.2) + rng.range(0, 40))
			};
		});
}
