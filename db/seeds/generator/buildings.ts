/**
 * What stands inside one grid cell: its compounds and buildings, regenerated on demand from
 * the cell's own stream.
 *
 * A cell's inner square (clear of the jittered edges) is divided into slots; a building sits
 * inside one slot, so buildings never overlap and never leave their grid. A compound takes
 * part of an aligned 2 × 2 block of slots, so compounds never overlap and enclose exactly the
 * buildings in their slots. Other slots hold free-standing buildings or stay empty.
 */
import type { Position } from 'geojson';
import type { BuildingRecord, CompoundRecord } from '../../../src/lib/domain/records.js';
import type { Context } from './context.js';
import { pad } from './context.js';
import { rectRing, rotatedHalfExtents, rotatedRectRing, type Rect } from './geometry.js';
import { cellCorner } from './layout.js';
import { SEED_COMPOUNDS, compoundName, propertyCompany, roadName } from './names.js';
import type { CompoundFlags } from './plan.js';
import type { Rng } from './random.js';

/** Clearance between a footprint's bounding box and its slot edge, metres. */
const SLOT_CLEARANCE = 3;
/** A compound's fence runs this far inside its slots, i.e. outside its buildings. */
const FENCE_INSET = 1.5;

export interface CompoundSpec {
	ordinal: number;
	index: number;
	code: string;
	name: string;
	flags: CompoundFlags;
	propertyCompany: string | null;
	/** slot indices of the compound's 2 × 2 block (rows, columns of blocks) */
	blockRow: number;
	blockCol: number;
	slots: number[];
	rect: Rect;
	/** ordinals (within the cell) of its buildings */
	buildings: number[];
}

export interface BuildingSpec {
	ordinal: number;
	index: number;
	code: string;
	name: string;
	address: string;
	/** road and house number, for titles of issues and flood spots */
	place: string;
	floors: number;
	households: number;
	isOld: boolean;
	/** ordinal of its compound in the cell, or -1 */
	compound: number;
	slot: number;
	/** centre and bounding-box half extents in the local frame */
	x: number;
	y: number;
	halfX: number;
	halfY: number;
	ring: Position[];
}

export interface CellContent {
	grid: number;
	road: string;
	compounds: CompoundSpec[];
	buildings: BuildingSpec[];
	/** slots holding no building, in slot order */
	emptySlots: number[];
	slotRect(slot: number): Rect;
}

export const buildingCode = (index: number) => `B${pad(index + 1, 8)}`;

/** Compound code: community code, C, its number inside the community. */
export function compoundCode(ctx: Context, g: number, ordinal: number): string {
	const { layout, plan } = ctx;
	const community = layout.communities[layout.gridCommunity[g]];
	const k = plan.compoundStart[g] + ordinal;
	return `${community.code}C${pad(k - plan.compoundStart[community.firstGrid] + 1, 3)}`;
}

/**
 * Grids are meant to hold 300–500 households (DESIGN §2). Each cell draws a target around
 * 60 households per building it holds (≈ 400 at scale 1) and its buildings' floors are scaled
 * towards it; about one cell in seven is deliberately off the norm, for the coverage report.
 */
const HOUSEHOLDS_PER_BUILDING = 60;

function householdTarget(rng: Rng, meanBuildings: number): number {
	const draw = rng.next();
	const ratio = draw < 0.07 ? rng.range(0.45, 0.75) : draw < 0.14 ? rng.range(1.3, 1.6) : rng.range(0.8, 1.2);
	return meanBuildings * HOUSEHOLDS_PER_BUILDING * ratio;
}

const OLD_FLOORS: readonly (readonly [number, number])[] = [
	[2, 5],
	[3, 10],
	[4, 15],
	[5, 25],
	[6, 30],
	[7, 15]
];

function seedCompoundName(ctx: Context, index: number): string | null {
	const seeds = ctx.plan.seedCompounds;
	if (index === seeds.jiangyuanping) return SEED_COMPOUNDS.jiangyuanping;
	if (index === seeds.lichenghuafu) return SEED_COMPOUNDS.lichenghuafu;
	if (index === seeds.jiangnan) return SEED_COMPOUNDS.jiangnan;
	return null;
}

function compoundShape(rng: Rng, perSide: number, blockRow: number, blockCol: number): number[] {
	const r = blockRow * 2;
	const c = blockCol * 2;
	const all = [r * perSide + c, r * perSide + c + 1, (r + 1) * perSide + c, (r + 1) * perSide + c + 1];
	if (rng.chance(0.5)) return all;
	// Half a block: a pair of slots in a row or a column.
	const pairs = [
		[all[0], all[1]],
		[all[2], all[3]],
		[all[0], all[2]],
		[all[1], all[3]]
	];
	return rng.pick(pairs);
}

export function cellContent(ctx: Context, g: number): CellContent {
	const { layout, plan } = ctx;
	const rng = ctx.streams.rng('cell', g);
	const target = householdTarget(rng, ctx.sizes.buildings / layout.gridCol.length);
	const { perSide, pitch, inset, blocksPerSide } = plan.slots;
	const corner = cellCorner(layout, g);
	const slotRect = (slot: number): Rect => {
		const row = Math.floor(slot / perSide);
		const col = slot % perSide;
		const west = corner.x + inset + col * pitch;
		const north = corner.y - inset - row * pitch;
		return { west, north, east: west + pitch, south: north - pitch };
	};

	const n = plan.buildingCount[g];
	const c = plan.compoundCount[g];
	const blocks = rng.shuffle(Array.from({ length: blocksPerSide ** 2 }, (_, i) => i)).slice(0, c);
	blocks.sort((a, b) => a - b);

	const inCompound = new Int32Array(perSide * perSide).fill(-1);
	const mandatory: number[] = [];
	const candidates: number[] = [];
	const shapes = blocks.map((block, ordinal) => {
		const blockRow = Math.floor(block / blocksPerSide);
		const blockCol = block % blocksPerSide;
		const slots = compoundShape(rng, perSide, blockRow, blockCol);
		for (const s of slots) inCompound[s] = ordinal;
		// Two buildings make a compound; its other slots may be filled like any free slot.
		const order = rng.shuffle(slots.slice());
		mandatory.push(order[0], order[1]);
		candidates.push(...order.slice(2));
		return { blockRow, blockCol, slots };
	});
	for (let s = 0; s < perSide * perSide; s++) if (inCompound[s] < 0) candidates.push(s);
	rng.shuffle(candidates);
	const occupied = mandatory.concat(candidates.slice(0, n - mandatory.length)).sort((a, b) => a - b);
	const occupiedSet = new Set(occupied);

	const community = layout.communities[layout.gridCommunity[g]];
	const street = layout.streets[community.street];
	const road = roadName(plan.road[g]);

	const compounds: CompoundSpec[] = shapes.map((shape, ordinal) => {
		const index = plan.compoundStart[g] + ordinal;
		const flags = plan.compoundFlags(index);
		let rect = slotRect(shape.slots[0]);
		for (const s of shape.slots.slice(1)) {
			const r = slotRect(s);
			rect = {
				west: Math.min(rect.west, r.west),
				south: Math.min(rect.south, r.south),
				east: Math.max(rect.east, r.east),
				north: Math.max(rect.north, r.north)
			};
		}
		rect = { west: rect.west + FENCE_INSET, south: rect.south + FENCE_INSET, east: rect.east - FENCE_INSET, north: rect.north - FENCE_INSET };
		const managed = flags.isRedProperty || (flags.isOld ? rng.chance(0.35) : rng.chance(0.95));
		const company = propertyCompany(rng);
		return {
			ordinal,
			index,
			code: compoundCode(ctx, g, ordinal),
			name: seedCompoundName(ctx, index) ?? compoundName(index, flags.isOld),
			flags,
			propertyCompany: managed ? company : null,
			blockRow: shape.blockRow,
			blockCol: shape.blockCol,
			slots: shape.slots,
			rect,
			buildings: []
		};
	});

	const jiangyuanping = compounds.find((k) => k.index === plan.seedCompounds.jiangyuanping);
	const buildings: BuildingSpec[] = occupied.map((slot, ordinal) => {
		const index = plan.buildingStart[g] + ordinal;
		const compoundOrdinal = inCompound[slot];
		const compound = compoundOrdinal >= 0 ? compounds[compoundOrdinal] : null;
		const isOld = compound ? compound.flags.isOld : rng.chance(0.25);
		const length = isOld ? rng.range(25, 45) : rng.range(25, 60);
		const width = rng.range(12, 20);
		const eastWest = rng.chance(0.6);
		const angle = rng.chance(0.35) ? rng.range(3, 15) * (rng.chance(0.5) ? 1 : -1) * (Math.PI / 180) : 0;
		const w = eastWest ? length : width;
		const h = eastWest ? width : length;
		const [halfX, halfY] = rotatedHalfExtents(w, h, angle);
		const box = slotRect(slot);
		const freeX = pitch / 2 - SLOT_CLEARANCE - halfX;
		const freeY = pitch / 2 - SLOT_CLEARANCE - halfY;
		const x = (box.west + box.east) / 2 + rng.range(-freeX, freeX);
		const y = (box.south + box.north) / 2 + rng.range(-freeY, freeY);
		const floors = isOld ? rng.choose(OLD_FLOORS) : rng.chance(0.92) ? rng.int(5, 18) : rng.int(19, 26);
		const units = Math.min(4, Math.max(1, Math.round(length / 15)));

		let roadOf = road;
		let number = 2 * (plan.roadOffset[g] + ordinal) + 1;
		if (compound) compound.buildings.push(ordinal);
		const inCompoundNo = compound ? compound.buildings.length : 0;
		if (compound && compound === jiangyuanping) {
			// The seed's 千藤街48号 is the first building of 酱园坪; its neighbours follow on 千藤街.
			roadOf = '千藤街';
			number = 46 + 2 * inCompoundNo;
		}
		const place = `${roadOf}${number}号`;
		return {
			ordinal,
			index,
			code: buildingCode(index),
			name: compound ? `${compound.name}${inCompoundNo}栋` : `${place}楼`,
			address: `合江县${street.name}${place}`,
			place,
			floors,
			households: floors * units * 2,
			isOld,
			compound: compoundOrdinal,
			slot,
			x,
			y,
			halfX,
			halfY,
			ring: rotatedRectRing(x, y, w, h, angle)
		};
	});

	// Scale floors towards the cell's household target, within what each kind of building allows.
	const base = buildings.reduce((sum, b) => sum + b.households, 0);
	const factor = base > 0 ? target / base : 1;
	for (const b of buildings) {
		const units = b.households / (2 * b.floors);
		b.floors = b.isOld ? Math.min(7, Math.max(2, Math.round(b.floors * factor))) : Math.min(30, Math.max(4, Math.round(b.floors * factor)));
		b.households = b.floors * units * 2;
	}

	const emptySlots: number[] = [];
	for (let s = 0; s < perSide * perSide; s++) if (!occupiedSet.has(s)) emptySlots.push(s);
	return { grid: g, road, compounds, buildings, emptySlots, slotRect };
}

export function compoundRecord(ctx: Context, cell: CellContent, k: CompoundSpec): CompoundRecord {
	const community = ctx.layout.communities[ctx.layout.gridCommunity[cell.grid]];
	return {
		code: k.code,
		name: k.name,
		community_code: community.code,
		is_old: k.flags.isOld,
		has_party_branch: k.flags.hasPartyBranch,
		property_company: k.propertyCompany,
		is_red_property: k.flags.isRedProperty,
		geometry: { type: 'MultiPolygon', coordinates: [[rectRing(k.rect)]] }
	};
}

export function buildingRecord(b: BuildingSpec): BuildingRecord {
	return {
		code: b.code,
		name: b.name,
		address: b.address,
		floors: b.floors,
		households: b.households,
		geometry: { type: 'MultiPolygon', coordinates: [[b.ring]] }
	};
}
