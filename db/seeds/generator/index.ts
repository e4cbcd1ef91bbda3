/**
 * The deterministic generator of the Hejiang sample (DESIGN §6): everything no public source
 * has — grid, compound and building polygons, people, issues, renovation areas, flood spots —
 * as one lazily produced record stream per layer. Same seed and scale ⇒ identical records.
 *
 * Sizes at scale N (N ≥ 1; N = 1 is the seed's county seat, N = 1700 a city for benchmarks):
 *   streets            max(2,  round(2 · N^(1/3)))        符阳街道, 临港街道, then generated
 *   communities        max(13, round(13 · N^(1/2)))       the 13 real ones first
 *   grids              ≈ max(90, 90 · N^(2/3))            exactly K × R, the lattice closest to it
 *   buildings          round(600 · N)                     exact
 *   compounds          ≈ 0.2 per building, ~40 % old      (old: round(0.4 · compounds), exact)
 *   party branches     round(21 · N), red property round(22 · N), both among old compounds
 *   departments        78 at every scale; liaisons 6 per community (5–7 each, one lead)
 *   people             streets + 2 · communities (first + community secretaries) + grids
 *                      (one grid worker each) + former grid workers (~15 % of grids)
 *                      + round(21·N) branch secretaries + round(428·N) building heads
 *                      + round(96·N) party group leaders + round(1946·N) registered members
 *   assignments        one per person, except a party group leader: one per building of
 *                      their run (so every building has one); building heads cover only
 *                      428/600 of the buildings, on purpose
 *   issues             round(1200 · N), of which round(360 · N) resolved on site
 *   issue events       one per status reached, ~6 per issue
 *   renovation areas   round(18 · N) batch 1 + round(16 · N) batch 2; batch-2 budgets sum to
 *                      exactly ¥280,000,000 · N (in ¥10,000 units)
 *   flood spots        round(30 · N), with 1–4 incidents each
 * One grid is one lattice cell. A cell holds k × k building slots of ≥ 70 m, with
 * k = max(4, ceil(√(most buildings in a cell / 0.625))), and its side is
 * max(450 m, (70·k + 8) / 0.76) m: 450 m at N = 1 (13 × 7 cells, 5.8 × 3.1 km), ~660 m at
 * N = 20, 1.3 km at N = 1700 (144 × 89 cells, ~190 × 120 km: larger than the real county,
 * a size only benchmarks use). Buildings per grid grow as 6.7 · N^(1/3), so households per grid
 * are ~400 (300–500, a few off on purpose) at N = 1 and grow with it; floors are scaled per
 * cell towards that target.
 * Times are fixed relative to 2026-11-01 (UTC); nothing reads the clock.
 *
 * Memory: only the lattice and a few typed arrays per cell are kept; buildings, compounds,
 * issues and flood spots are regenerated per cell from the cell's own random stream, so
 * scale 1700 (≈1M buildings, 2M issues, 12.8k grids) streams in bounded memory.
 */
import type { RecordLayer, LayerRecords } from '../../../src/lib/domain/records.js';
import { buildingRecord, cellContent, compoundRecord } from './buildings.js';
import type { Context } from './context.js';
import { floodIncidents, floodRecord, floodSpots, incidentCount } from './flood.js';
import { issueCore, issueEvents, issueRecord } from './issues.js';
import { blockRing, buildTopology, gridCode, gridName, placeNodes, sizesFor, type Block } from './layout.js';
import { assignmentCount, assignments, buildRoster, departments, liaisons, people } from './people.js';
import { buildPlan } from './plan.js';
import { Streams } from './random.js';
import { renovationRecord } from './renovation.js';
import { DEPARTMENTS } from './names.js';
import type { MultiPolygon } from 'geojson';

export interface GeneratorOptions {
	scale: number;
	seed: string;
}

export interface Generator {
	/** expected record count per layer (exact), for progress/tests */
	counts(): Record<RecordLayer, number>;
	/** records of one layer, streamed lazily, in a deterministic order */
	records<L extends RecordLayer>(layer: L): Iterable<LayerRecords[L]>;
}

export function createGenerator(opts: GeneratorOptions): Generator {
	const ctx = createContext(opts);
	let counted: Record<RecordLayer, number> | null = null;
	return {
		counts() {
			counted ??= countRecords(ctx);
			return { ...counted };
		},
		records<L extends RecordLayer>(layer: L): Iterable<LayerRecords[L]> {
			const make = LAYERS[layer] as (ctx: Context) => Iterable<LayerRecords[L]>;
			// A fresh generator per iteration, so the iterable can be consumed more than once.
			return { [Symbol.iterator]: () => make(ctx)[Symbol.iterator]() };
		}
	};
}

/** Everything the layers share; also what the tests inspect. */
export function createContext(opts: GeneratorOptions): Context {
	const sizes = sizesFor(opts.scale);
	const streams = new Streams(opts.seed);
	const topology = buildTopology(sizes);
	const plan = buildPlan(topology, streams);
	const layout = placeNodes(topology, plan.cellSize, streams);
	const roster = buildRoster(layout, plan, streams);
	return { sizes, layout, plan, streams, roster };
}

const multi = (ctx: Context, block: Block): MultiPolygon => ({
	type: 'MultiPolygon',
	coordinates: [[blockRing(ctx.layout, block)]]
});
const cells = (ctx: Context) => ctx.layout.gridCol.length;

const LAYERS: { [L in RecordLayer]: (ctx: Context) => Iterable<LayerRecords[L]> } = {
	*streets(ctx) {
		for (const s of ctx.layout.streets) yield { code: s.code, name: s.name, kind: 'street', geometry: multi(ctx, s.block) };
	},
	*communities(ctx) {
		for (const c of ctx.layout.communities)
			yield { code: c.code, name: c.name, street_code: ctx.layout.streets[c.street].code, geometry: multi(ctx, c.block) };
	},
	*grids(ctx) {
		const { layout } = ctx;
		for (let g = 0; g < cells(ctx); g++) {
			yield {
				code: gridCode(layout, g),
				name: gridName(layout, g),
				community_code: layout.communities[layout.gridCommunity[g]].code,
				geometry: multi(ctx, { col: layout.gridCol[g], row: layout.gridRow[g], cols: 1, rows: 1 })
			};
		}
	},
	*compounds(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			const cell = cellContent(ctx, g);
			for (const k of cell.compounds) yield compoundRecord(ctx, cell, k);
		}
	},
	*buildings(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			for (const b of cellContent(ctx, g).buildings) yield buildingRecord(b);
		}
	},
	departments: () => departments(),
	liaisons: (ctx) => liaisons(ctx),
	people: (ctx) => people(ctx),
	assignments: (ctx) => assignments(ctx),
	*issues(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			if (ctx.plan.issueCount[g] === 0) continue;
			const cell = cellContent(ctx, g);
			const flood = floodSpots(ctx, cell);
			for (let o = 0; o < ctx.plan.issueCount[g]; o++) yield issueRecord(ctx, cell, flood, issueCore(ctx, g, o));
		}
	},
	*issue_events(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			for (let o = 0; o < ctx.plan.issueCount[g]; o++) yield* issueEvents(ctx, g, issueCore(ctx, g, o));
		}
	},
	*renovation(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			if (ctx.plan.compoundCount[g] === 0) continue;
			const cell = cellContent(ctx, g);
			for (const k of cell.compounds) if (k.flags.renovation >= 0) yield renovationRecord(ctx, cell, k);
		}
	},
	*flood(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			if (ctx.plan.floodCount[g] === 0) continue;
			for (const spot of floodSpots(ctx, cellContent(ctx, g))) yield floodRecord(spot);
		}
	},
	*flood_incidents(ctx) {
		for (let g = 0; g < cells(ctx); g++) {
			if (ctx.plan.floodCount[g] === 0) continue;
			for (const spot of floodSpots(ctx, cellContent(ctx, g))) yield* floodIncidents(ctx, spot);
		}
	}
};

function countRecords(ctx: Context): Record<RecordLayer, number> {
	const { layout, plan, sizes } = ctx;
	let events = 0;
	for (let g = 0; g < cells(ctx); g++) {
		for (let o = 0; o < plan.issueCount[g]; o++) events += issueCore(ctx, g, o).steps.length;
	}
	let incidents = 0;
	for (let h = 0; h < plan.totals.flood; h++) incidents += incidentCount(ctx.streams.rng('flood', h));
	return {
		streets: layout.streets.length,
		communities: layout.communities.length,
		grids: cells(ctx),
		compounds: plan.totals.compounds,
		buildings: plan.totals.buildings,
		departments: DEPARTMENTS.length,
		liaisons: ctx.roster.liaisons.reduce((n, units) => n + units.length, 0),
		people: ctx.roster.offsets.total,
		assignments: assignmentCount(ctx),
		issues: plan.totals.issues,
		issue_events: events,
		renovation: sizes.renovationBatch1 + sizes.renovationBatch2,
		flood: plan.totals.flood,
		flood_incidents: incidents
	};
}
