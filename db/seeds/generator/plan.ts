/**
 * The census: how many buildings, compounds, issues and flood spots each cell holds, and the
 * global numbering that follows from it. This is the only per-cell state kept in memory
 * (a few typed arrays); everything inside a cell is regenerated from the cell's own stream
 * when needed, so any layer can be produced lazily and in any order.
 *
 * Exact totals (600·N buildings, 1,200·N issues, …) come from apportioning a total over
 * random per-cell weights; "exactly K of N" choices (building heads, on-site issues, old
 * compounds) come from keyed permutations: item i is chosen when perm(i) < K.
 */
import { type Sizes, type Topology } from './layout.js';
import { apportion, ensureAtLeast, Permutation, prefixSums, type Streams } from './random.js';

/** Day numbers (days since 1970-01-01, UTC) keep date arithmetic exact and timezone-free. */
export const DAY_MS = 86_400_000;
export const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS;
/** The fixed "today" of the sample: nothing in it happens after this. */
export const REFERENCE_DAY = dayOf(2026, 11, 1);
export const REFERENCE_MS = REFERENCE_DAY * DAY_MS;
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Building footprints fit in square slots of at least this side (m), rotation included. */
export const MIN_SLOT = 70;
/** Inner margin of a cell kept free of buildings: jitter plus a safety strip, as a fraction. */
export const CELL_MARGIN = 0.12;
const CELL_MARGIN_METRES = 4;
/** At most this share of a cell's slots hold a building, so compounds and gaps have room. */
const MAX_OCCUPANCY = 0.625;
const OLD_SHARE = 0.4;
const COMPOUNDS_PER_BUILDING = 0.2;

export interface SlotGrid {
	/** slots per side of a cell */
	perSide: number;
	/** slot side, metres */
	pitch: number;
	/** offset of the first slot from the cell's unjittered north-west corner, metres */
	inset: number;
	/** aligned 2 × 2 blocks of slots per side; a compound occupies (part of) one block */
	blocksPerSide: number;
}

export interface CompoundFlags {
	rank: number;
	isOld: boolean;
	hasPartyBranch: boolean;
	isRedProperty: boolean;
	/** index of the renovation area the compound heads, or -1 */
	renovation: number;
}

export interface Plan {
	cellSize: number;
	slots: SlotGrid;
	buildingCount: Int32Array;
	buildingStart: Float64Array;
	compoundCount: Int32Array;
	compoundStart: Float64Array;
	issueCount: Int32Array;
	issueStart: Float64Array;
	floodCount: Int32Array;
	floodStart: Float64Array;
	/** per grid: 1 when the grid had a former grid worker (history in assignments) */
	formerWorker: Uint8Array;
	formerStart: Float64Array;
	/** per grid: the day the current grid worker started, and the former one's start or -1 */
	workerSince: Int32Array;
	formerSince: Int32Array;
	/** per grid: road index of its row within its street, and how many numbers it precedes by */
	road: Int32Array;
	roadOffset: Int32Array;
	totals: { buildings: number; compounds: number; issues: number; flood: number; formerWorkers: number };
	oldCompounds: number;
	/** global compound index of the seed's named compounds */
	seedCompounds: { jiangyuanping: number; lichenghuafu: number; jiangnan: number };
	compoundFlags(k: number): CompoundFlags;
	hasBuildingHead(b: number): boolean;
	isOnSite(i: number): boolean;
}

export function buildPlan(topology: Topology, streams: Streams): Plan {
	const sizes: Sizes = topology.sizes;
	const cells = topology.gridCol.length;
	const seeds = topology.seedCells;
	const seedList = [seeds.yiyuanjie, seeds.guiyuanlin, seeds.baihuating];

	const wBuildings = new Float64Array(cells);
	const wIssues = new Float64Array(cells);
	const wFlood = new Float64Array(cells);
	const uCompounds = new Float64Array(cells);
	for (let g = 0; g < cells; g++) {
		const rng = streams.rng('plan', g);
		wBuildings[g] = rng.range(0.65, 1.35);
		wIssues[g] = rng.range(0.5, 1.5);
		// Cubed: waterlogging clusters in a few low cells rather than spreading evenly.
		wFlood[g] = rng.next() ** 3 + 1e-6;
		uCompounds[g] = rng.next();
	}

	const buildingCount = apportion(sizes.buildings, wBuildings);
	for (const g of seedList) ensureAtLeast(buildingCount, g, 4);
	let maxBuildings = 0;
	for (let g = 0; g < cells; g++) maxBuildings = Math.max(maxBuildings, buildingCount[g]);

	const perSide = Math.max(4, Math.ceil(Math.sqrt(maxBuildings / MAX_OCCUPANCY)));
	const cellSize = Math.ceil(Math.max(450, (perSide * MIN_SLOT + 2 * CELL_MARGIN_METRES) / (1 - 2 * CELL_MARGIN)));
	const inset = CELL_MARGIN * cellSize + CELL_MARGIN_METRES;
	const slots: SlotGrid = {
		perSide,
		pitch: (cellSize - 2 * inset) / perSide,
		inset,
		blocksPerSide: Math.floor(perSide / 2)
	};

	const compoundCount = new Int32Array(cells);
	for (let g = 0; g < cells; g++) {
		const n = buildingCount[g];
		const cap = Math.min(slots.blocksPerSide ** 2, Math.floor(n / 2));
		// Stochastic rounding keeps the expected total at 0.2 compounds per building.
		compoundCount[g] = Math.min(cap, Math.floor(n * COMPOUNDS_PER_BUILDING + uCompounds[g]));
	}
	for (const g of seedList) compoundCount[g] = Math.max(1, compoundCount[g]);

	const floodCount = apportion(sizes.floodSpots, wFlood);
	ensureAtLeast(floodCount, seeds.yiyuanjie, 1);
	const issueCount = apportion(sizes.issues, wIssues);
	ensureAtLeast(issueCount, seeds.yiyuanjie, floodCount[seeds.yiyuanjie]);
	// The 江南小区 parking issue comes right after the cell's drainage reports.
	ensureAtLeast(issueCount, seeds.baihuating, floodCount[seeds.baihuating] + 1);

	const formerWorker = new Uint8Array(cells);
	const workerSince = new Int32Array(cells);
	const formerSince = new Int32Array(cells);
	for (let g = 0; g < cells; g++) {
		const rng = streams.rng('grid-worker', g);
		if (rng.chance(0.15)) {
			formerWorker[g] = 1;
			formerSince[g] = rng.int(dayOf(2024, 1, 1), dayOf(2024, 12, 31));
			workerSince[g] = rng.int(dayOf(2025, 6, 1), dayOf(2026, 6, 30));
		} else {
			formerSince[g] = -1;
			// Before the first issue of the sample, so every issue event has a grid worker.
			workerSince[g] = rng.int(dayOf(2024, 1, 1), dayOf(2025, 4, 30));
		}
	}

	// Addresses: one road per (street, lattice row), numbered west to east across cells.
	const cellGrid = new Int32Array(cells);
	for (let g = 0; g < cells; g++) cellGrid[topology.gridRow[g] * topology.cols + topology.gridCol[g]] = g;
	const road = new Int32Array(cells);
	const roadOffset = new Int32Array(cells);
	for (let row = 0; row < topology.rows; row++) {
		const running = new Map<number, number>();
		for (let col = 0; col < topology.cols; col++) {
			const g = cellGrid[row * topology.cols + col];
			const street = topology.communities[topology.gridCommunity[g]].street;
			road[g] = street * topology.rows + row;
			roadOffset[g] = running.get(street) ?? 0;
			running.set(street, roadOffset[g] + buildingCount[g]);
		}
	}

	const buildingStart = prefixSums(buildingCount);
	const compoundStart = prefixSums(compoundCount);
	const issueStart = prefixSums(issueCount);
	const floodStart = prefixSums(floodCount);
	const formerStart = prefixSums(formerWorker);
	const totals = {
		buildings: buildingStart[cells],
		compounds: compoundStart[cells],
		issues: issueStart[cells],
		flood: floodStart[cells],
		formerWorkers: formerStart[cells]
	};

	const seedCompounds = {
		jiangyuanping: compoundStart[seeds.yiyuanjie],
		lichenghuafu: compoundStart[seeds.guiyuanlin],
		jiangnan: compoundStart[seeds.baihuating]
	};
	const oldCompounds = Math.round(totals.compounds * OLD_SHARE);
	const renovations = sizes.renovationBatch1 + sizes.renovationBatch2;
	const redStart = Math.round(2 * sizes.scale);
	if (oldCompounds < Math.max(renovations, redStart + sizes.redProperty, sizes.partyBranches))
		throw new Error(`too few old compounds (${oldCompounds}) for the renovation and party targets`);
	// Ranks order the old compounds: the lowest are renovation areas, party branches and red
	// property. 酱园坪 is rank 0 (the first, demonstration area); 江南小区 is old; 荔城华府 is new.
	const rankOf = new Permutation(totals.compounds, streams.key('compound-rank'), [
		[seedCompounds.jiangyuanping, 0],
		[seedCompounds.jiangnan, 1],
		[seedCompounds.lichenghuafu, totals.compounds - 1]
	]);
	const headOf = new Permutation(totals.buildings, streams.key('building-head'));
	const onSiteOf = new Permutation(totals.issues, streams.key('on-site'));

	return {
		cellSize,
		slots,
		buildingCount,
		buildingStart,
		compoundCount,
		compoundStart,
		issueCount,
		issueStart,
		floodCount,
		floodStart,
		formerWorker,
		formerStart,
		workerSince,
		formerSince,
		road,
		roadOffset,
		totals,
		oldCompounds,
		seedCompounds,
		compoundFlags(k: number): CompoundFlags {
			const rank = rankOf.at(k);
			return {
				rank,
				isOld: rank < oldCompounds,
				hasPartyBranch: rank < sizes.partyBranches,
				isRedProperty: rank >= redStart && rank < redStart + sizes.redProperty,
				renovation: rank < renovations ? rank : -1
			};
		},
		hasBuildingHead: (b: number) => headOf.at(b) < sizes.buildingHeads,
		isOnSite: (i: number) => onSiteOf.at(i) < sizes.issuesOnSite
	};
}
