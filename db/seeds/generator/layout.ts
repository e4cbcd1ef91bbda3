/**
 * The administrative lattice: streets, communities and grids, and the nodes their polygons
 * are drawn through.
 *
 * The area is a rectangle of K × R cells; one grid is one cell. Streets are a guillotine
 * partition of the rectangle, communities a guillotine partition of their street, so every
 * block is a rectangle of cells. A block's polygon walks every lattice node on its perimeter,
 * and nodes are rounded once and shared, so neighbours have byte-identical common edges and
 * the tiling has no gap and no overlap. Nodes are jittered (≤ 10 % of a cell) so the map
 * does not look like graph paper.
 */
import type { Position } from 'geojson';
import { toLngLat } from './geometry.js';
import { REAL_STREETS, generatedCommunityName, generatedStreetName } from './names.js';
import type { Streams } from './random.js';

export interface Sizes {
	scale: number;
	streets: number;
	communities: number;
	gridsTarget: number;
	buildings: number;
	issues: number;
	issuesOnSite: number;
	buildingHeads: number;
	partyGroupLeaders: number;
	registeredMembers: number;
	partyBranches: number;
	redProperty: number;
	renovationBatch1: number;
	renovationBatch2: number;
	/** batch-2 budget in units of ¥10,000 (the seed's ¥280M at scale 1) */
	batch2BudgetUnits: number;
	demonstrationsBatch1: number;
	demonstrationsBatch2: number;
	floodSpots: number;
}

/** The size formulas (documented in index.ts). */
export function sizesFor(scale: number): Sizes {
	if (!(Number.isFinite(scale) && scale >= 1)) throw new Error(`scale must be a number ≥ 1, got ${scale}`);
	const n = (x: number) => Math.round(x * scale);
	return {
		scale,
		streets: Math.max(2, Math.round(2 * Math.cbrt(scale))),
		communities: Math.max(13, Math.round(13 * Math.sqrt(scale))),
		gridsTarget: Math.max(90, Math.round(90 * scale ** (2 / 3))),
		buildings: n(600),
		issues: n(1200),
		issuesOnSite: n(360),
		buildingHeads: n(428),
		partyGroupLeaders: n(96),
		registeredMembers: n(1946),
		partyBranches: n(21),
		redProperty: n(22),
		renovationBatch1: n(18),
		renovationBatch2: n(16),
		batch2BudgetUnits: n(28_000),
		demonstrationsBatch1: n(4),
		demonstrationsBatch2: n(5),
		floodSpots: n(30)
	};
}

/** A rectangle of cells: columns [col, col+cols), rows [row, row+rows); row 0 is the north edge. */
export interface Block {
	col: number;
	row: number;
	cols: number;
	rows: number;
}

export interface Street {
	index: number;
	code: string;
	name: string;
	block: Block;
	firstCommunity: number;
	communityCount: number;
}

export interface Community {
	index: number;
	code: string;
	name: string;
	street: number;
	block: Block;
	firstGrid: number;
	gridCount: number;
}

/** The named places of the seed live in the middle grid of these communities. */
export interface SeedCells {
	/** 义园街社区: 酱园坪, 千藤街48号 and its flood spot */
	yiyuanjie: number;
	/** 桂园林社区: 荔城华府 */
	guiyuanlin: number;
	/** 百花亭社区: 江南小区 and its parking issue */
	baihuating: number;
}

export interface Topology {
	sizes: Sizes;
	/** lattice size in cells */
	cols: number;
	rows: number;
	streets: Street[];
	communities: Community[];
	/** per grid (= cell), in grid order: community by community, row-major inside each */
	gridCol: Int32Array;
	gridRow: Int32Array;
	gridCommunity: Int32Array;
	gridOrdinal: Int32Array;
	seedCells: SeedCells;
}

/** Lattice dimensions K × R close to the grid target, with a town-like aspect (1.2–2). */
function latticeSize(target: number): [number, number] {
	let best: [number, number] = [target, 1];
	let bestScore = Infinity;
	for (let rows = 1; rows <= target; rows++) {
		const cols = Math.round(target / rows);
		const aspect = cols / rows;
		if (cols < 1 || aspect < 1.2 || aspect > 2) continue;
		const score = Math.abs(cols * rows - target) * 10 + Math.abs(aspect - 1.5);
		if (score < bestScore) {
			bestScore = score;
			best = [cols, rows];
		}
	}
	return best;
}

/**
 * Guillotine split of a block into parts with areas proportional to weights: cut the longer
 * side at the weight ratio of the first half of the parts, recurse. Parts come out
 * west-before-east and north-before-south.
 */
function partition(block: Block, weights: number[], out: Block[]): void {
	if (weights.length === 1) {
		out.push(block);
		return;
	}
	const half = Math.floor(weights.length / 2);
	const first = weights.slice(0, half);
	const second = weights.slice(half);
	const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
	const ratio = sum(first) / (sum(first) + sum(second));
	if (block.cols >= block.rows) {
		const cut = Math.min(block.cols - 1, Math.max(1, Math.round(block.cols * ratio)));
		partition({ ...block, cols: cut }, first, out);
		partition({ ...block, col: block.col + cut, cols: block.cols - cut }, second, out);
	} else {
		const cut = Math.min(block.rows - 1, Math.max(1, Math.round(block.rows * ratio)));
		partition({ ...block, rows: cut }, first, out);
		partition({ ...block, row: block.row + cut, rows: block.rows - cut }, second, out);
	}
}

/** How many communities each street gets: the real 8 and 5, then the rest to the smallest. */
function communitiesPerStreet(streets: number, communities: number): number[] {
	const counts = Array.from({ length: streets }, (_, s) => (s < REAL_STREETS.length ? REAL_STREETS[s].communities.length : 0));
	for (let left = communities - 13; left > 0; left--) {
		let smallest = 0;
		for (let s = 1; s < streets; s++) if (counts[s] < counts[smallest]) smallest = s;
		counts[smallest]++;
	}
	return counts;
}

export function buildTopology(sizes: Sizes): Topology {
	const [cols, rows] = latticeSize(sizes.gridsTarget);
	const perStreet = communitiesPerStreet(sizes.streets, sizes.communities);
	const streetBlocks: Block[] = [];
	partition({ col: 0, row: 0, cols, rows }, perStreet, streetBlocks);

	const streets: Street[] = [];
	const communities: Community[] = [];
	let generatedCommunities = 0;
	for (let s = 0; s < sizes.streets; s++) {
		const real = s < REAL_STREETS.length ? REAL_STREETS[s] : null;
		const code = real ? real.code : `510522${String(s + 1).padStart(3, '0')}000`;
		const blocks: Block[] = [];
		partition(streetBlocks[s], Array(perStreet[s]).fill(1), blocks);
		streets.push({
			index: s,
			code,
			name: real ? real.name : generatedStreetName(s + 1),
			block: streetBlocks[s],
			firstCommunity: communities.length,
			communityCount: perStreet[s]
		});
		// Generated community codes continue the street's own series (临港 already has 001, 002).
		let serial = s === 1 ? 3 : 1;
		blocks.forEach((block, k) => {
			const known = real && k < real.communities.length ? real.communities[k] : null;
			communities.push({
				index: communities.length,
				code: known ? known[0] : code.slice(0, 9) + String(serial++).padStart(3, '0'),
				name: known ? known[1] : generatedCommunityName(generatedCommunities++),
				street: s,
				block,
				firstGrid: 0,
				gridCount: block.cols * block.rows
			});
		});
	}

	const total = cols * rows;
	const gridCol = new Int32Array(total);
	const gridRow = new Int32Array(total);
	const gridCommunity = new Int32Array(total);
	const gridOrdinal = new Int32Array(total);
	let g = 0;
	for (const community of communities) {
		community.firstGrid = g;
		const { col, row, cols: w, rows: h } = community.block;
		// Numbered west→east, then north→south, as the grid codes are.
		for (let r = 0; r < h; r++) {
			for (let c = 0; c < w; c++) {
				gridCol[g] = col + c;
				gridRow[g] = row + r;
				gridCommunity[g] = community.index;
				gridOrdinal[g] = r * w + c;
				g++;
			}
		}
	}
	const middle = (k: number) => communities[k].firstGrid + Math.floor(communities[k].gridCount / 2);
	return {
		sizes,
		cols,
		rows,
		streets,
		communities,
		gridCol,
		gridRow,
		gridCommunity,
		gridOrdinal,
		seedCells: { yiyuanjie: middle(6), guiyuanlin: middle(5), baihuating: middle(1) }
	};
}

export function gridCode(topology: Topology, g: number): string {
	const community = topology.communities[topology.gridCommunity[g]];
	return community.code + String(topology.gridOrdinal[g] + 1).padStart(3, '0');
}

export function gridName(topology: Topology, g: number): string {
	const community = topology.communities[topology.gridCommunity[g]];
	return `${community.name}第${topology.gridOrdinal[g] + 1}网格`;
}

/** Largest node displacement, as a fraction of the cell size. */
export const JITTER = 0.1;

/** The topology with metric placement: cell size, shared rounded nodes. */
export interface Layout extends Topology {
	cellSize: number;
	/** local x of the west edge of column 0 and y of the north edge of row 0 (unjittered) */
	west: number;
	north: number;
	/** rounded WGS84 position of every lattice node, index row * (cols + 1) + col */
	nodes: Position[];
}

export function placeNodes(topology: Topology, cellSize: number, streams: Streams): Layout {
	// Centre the first street (符阳街道) on the county seat; the others extend east and south.
	const home = topology.streets[0].block;
	const west = -(home.col + home.cols / 2) * cellSize;
	const north = (home.row + home.rows / 2) * cellSize;
	const nodes: Position[] = [];
	for (let j = 0; j <= topology.rows; j++) {
		for (let i = 0; i <= topology.cols; i++) {
			const rng = streams.rng('node', j * (topology.cols + 1) + i);
			const dx = rng.range(-JITTER, JITTER) * cellSize;
			const dy = rng.range(-JITTER, JITTER) * cellSize;
			nodes.push(toLngLat(west + i * cellSize + dx, north - j * cellSize + dy));
		}
	}
	return { ...topology, cellSize, west, north, nodes };
}

export function node(layout: Layout, col: number, row: number): Position {
	return layout.nodes[row * (layout.cols + 1) + col];
}

/**
 * Closed counter-clockwise ring around a block through every lattice node on its perimeter:
 * east along the south edge, north up the east edge, west along the north edge, south down
 * the west edge.
 */
export function blockRing(layout: Layout, b: Block): Position[] {
	const ring: Position[] = [];
	const south = b.row + b.rows;
	const east = b.col + b.cols;
	for (let c = b.col; c < east; c++) ring.push(node(layout, c, south));
	for (let r = south; r > b.row; r--) ring.push(node(layout, east, r));
	for (let c = east; c > b.col; c--) ring.push(node(layout, c, b.row));
	for (let r = b.row; r < south; r++) ring.push(node(layout, b.col, r));
	ring.push(ring[0]);
	return ring;
}

/** The north-west corner of a grid cell before jitter, in the local frame. */
export function cellCorner(layout: Layout, g: number): { x: number; y: number } {
	return { x: layout.west + layout.gridCol[g] * layout.cellSize, y: layout.north - layout.gridRow[g] * layout.cellSize };
}
