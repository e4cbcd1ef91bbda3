/**
 * 问题 issues and their event history.
 *
 * An issue's "core" (what, when, and the path of statuses it went through) comes from its own
 * stream and needs no geometry, so the event layer and counts() can replay it cheaply. Where
 * it happened comes from a second stream and the cell's regenerated buildings and flood spots.
 *
 * Paths follow the closed loop of DESIGN §4: reported → registered (or rejected) → dispatched
 * → in_progress → resolved → verified → closed, with rework (returned), escalation to a
 * department (社区吹哨、部门报到) and backlog (挂账). A path stops at the reference date, and
 * some stall early, so recent issues are open and a few old ones are overdue.
 */
import type { Point } from 'geojson';
import { ISSUE_CATEGORIES, type IssueCategory, type IssueSource, type IssueStatus, type MatterType, type Urgency } from '../../../src/lib/domain/glossary.js';
import { type IssueEventRecord, type IssueRecord } from '../../../src/lib/domain/records.js';
import type { BuildingSpec, CellContent } from './buildings.js';
import type { Context } from './context.js';
import type { FloodSpec } from './flood.js';
import { issueCode } from './flood.js';
import { round7, toLngLat } from './geometry.js';
import { node } from './layout.js';
import { DEPARTMENTS, ISSUE_TITLES, SEED_COMPOUNDS } from './names.js';
import { DAY_MS, REFERENCE_MS } from './plan.js';
import type { Rng } from './random.js';

export { issueCode };

const HOUR = 3_600_000;
const MINUTE = 60_000;

const CATEGORY_WEIGHTS: Record<IssueCategory, number> = {
	environment: 14,
	infrastructure: 12,
	parking: 10,
	property_management: 9,
	safety_hazard: 9,
	dispute: 8,
	public_service: 9,
	illegal_construction: 5,
	municipal_facility: 9,
	drainage: 6,
	greenery: 5,
	noise: 4
};
const CATEGORY_TABLE = ISSUE_CATEGORIES.map((c) => [c, CATEGORY_WEIGHTS[c]] as const);

const MATTERS: readonly (readonly [MatterType, number])[] = [
	['practical', 45],
	['important', 15],
	['major', 13],
	['urgent', 14],
	['difficult', 13]
];
const SOURCES: readonly (readonly [IssueSource, number])[] = [
	['patrol', 35],
	['resident', 25],
	['joint_meeting', 10],
	['hotline', 18],
	['department', 12]
];

/** Time limit in hours per 五事分流 type; an urgent grading halves it (at least a day). */
const LIMIT_HOURS: Record<MatterType, number> = { major: 720, practical: 120, important: 240, urgent: 48, difficult: 1440 };

/** Which county department an escalated issue of each category goes to. */
export const CATEGORY_DEPARTMENT: Record<IssueCategory, string> = {
	environment: '县综合行政执法局',
	infrastructure: '县住建局',
	parking: '县住建局',
	property_management: '县住建局',
	safety_hazard: '县应急管理局',
	dispute: '县司法局',
	public_service: '县民政局',
	illegal_construction: '县综合行政执法局',
	municipal_facility: '县住建局',
	drainage: '县水务局',
	greenery: '县综合行政执法局',
	noise: '泸州市合江生态环境局'
};
for (const name of Object.values(CATEGORY_DEPARTMENT)) {
	if (!DEPARTMENTS.includes(name)) throw new Error(`unknown department ${name}`);
}

const NORMAL: IssueStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'];
const ESCALATED: IssueStatus[] = ['reported', 'registered', 'escalated', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'];
const REWORK: IssueStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'resolved', 'returned', 'in_progress', 'resolved', 'verified', 'closed'];
const REJECTED: IssueStatus[] = ['reported', 'rejected'];
const BACKLOG: IssueStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'backlog'];

type Seed = 'qianteng' | 'jiangnan' | null;

export interface IssueCore {
	index: number;
	ordinal: number;
	seed: Seed;
	category: IssueCategory;
	matter: MatterType;
	urgency: Urgency;
	source: IssueSource;
	onSite: boolean;
	escalated: boolean;
	/** statuses reached, with their times (ms), first = reported */
	steps: { status: IssueStatus; at: number }[];
	dueAt: number | null;
}

function seedOf(ctx: Context, g: number, ordinal: number): Seed {
	const seeds = ctx.layout.seedCells;
	if (g === seeds.yiyuanjie && ordinal === 0) return 'qianteng';
	if (g === seeds.baihuating && ordinal === ctx.plan.floodCount[g]) return 'jiangnan';
	return null;
}

/** Milliseconds from reaching `from` to reaching `to` on a normal path. */
function stepDuration(rng: Rng, from: IssueStatus, to: IssueStatus, limit: number, urgent: boolean): number {
	switch (to) {
		case 'registered':
			return urgent ? rng.range(5, 60) * MINUTE : rng.range(10, 480) * MINUTE;
		case 'rejected':
			return rng.range(1, 24) * HOUR;
		case 'escalated':
			return rng.range(2, 48) * HOUR;
		case 'dispatched':
			return from === 'escalated' ? rng.range(24, 72) * HOUR : rng.range(0.5, 24) * HOUR;
		case 'in_progress':
			return from === 'returned' ? rng.range(1, 24) * HOUR : rng.range(1, 48) * HOUR;
		case 'resolved':
			// Some take longer than the limit: that is what the overdue view is for.
			return limit * rng.range(0.1, 1.25) * HOUR;
		case 'returned':
			return rng.range(1, 24) * HOUR;
		case 'verified':
			return rng.range(2, 48) * HOUR;
		case 'closed':
			return rng.range(1, 24) * HOUR;
		case 'backlog':
			return rng.range(3, 20) * DAY_MS;
		default:
			return HOUR;
	}
}

export function issueCore(ctx: Context, g: number, ordinal: number): IssueCore {
	const index = ctx.plan.issueStart[g] + ordinal;
	const rng = ctx.streams.rng('issue', index);
	const seed = seedOf(ctx, g, ordinal);
	const onSite = ctx.plan.isOnSite(index);
	let category = rng.choose(CATEGORY_TABLE);
	let matter = rng.choose(MATTERS);
	let urgency: Urgency = rng.chance(matter === 'urgent' ? 0.7 : 0.15) ? 'urgent' : 'general';
	let source = onSite ? (rng.chance(0.75) ? 'joint_meeting' : 'patrol') : rng.choose(SOURCES);
	const age = onSite ? rng.range(5 * 24, 548 * 24) * HOUR : rng.range(2, 548 * 24) * HOUR;
	let reported = Math.floor((REFERENCE_MS - age) / MINUTE) * MINUTE;
	const routeDraw = rng.next();
	const stall = rng.chance(0.12);
	const stallDraw = rng.next();
	const stopAtVerified = rng.chance(0.15);

	let path: IssueStatus[];
	if (onSite) path = stopAtVerified ? NORMAL.slice(0, 6) : NORMAL;
	else if (routeDraw < 0.04) path = REJECTED;
	else if (routeDraw < 0.09) path = BACKLOG;
	else if (routeDraw < 0.21) path = ESCALATED;
	else if (routeDraw < 0.29) path = REWORK;
	else path = NORMAL;
	// A drainage report for the cell's flood spot (see flood.ts).
	if (ordinal < ctx.plan.floodCount[g]) category = 'drainage';

	let stalled = !onSite && stall && path.length > 2;
	if (seed === 'qianteng') {
		category = 'drainage';
		matter = 'urgent';
		urgency = 'urgent';
		source = 'joint_meeting';
		reported = Date.UTC(2025, 5, 20, 6, 30);
		path = NORMAL;
		stalled = false;
	} else if (seed === 'jiangnan') {
		category = 'parking';
		matter = 'practical';
		urgency = 'general';
		source = 'patrol';
		reported = Date.UTC(2025, 7, 12, 1, 20);
		path = ESCALATED;
		stalled = false;
	}
	if (stalled) path = path.slice(0, 1 + Math.floor(stallDraw * (path.length - 1)));

	const limit = urgency === 'urgent' ? Math.max(24, LIMIT_HOURS[matter] / 2) : LIMIT_HOURS[matter];
	const steps = [{ status: path[0], at: reported }];
	let at = reported;
	for (let k = 1; k < path.length; k++) {
		// Every draw is made even past the reference date, so the stream stays aligned.
		const d = onSite ? rng.range(5, 40) * MINUTE : stepDuration(rng, path[k - 1], path[k], limit, urgency === 'urgent');
		at = Math.floor((at + d) / MINUTE) * MINUTE + MINUTE;
		if (at < REFERENCE_MS) steps.push({ status: path[k], at });
		else break;
	}
	const registered = steps.length > 1 && steps[1].status === 'registered';
	return {
		index,
		ordinal,
		seed,
		category,
		matter,
		urgency,
		source,
		onSite,
		escalated: path === ESCALATED,
		steps,
		dueAt: registered ? reported + limit * HOUR : null
	};
}

/** The building an issue is about, if any, and its point. */
interface IssuePlace {
	building: BuildingSpec | null;
	point: Point;
	/** what the title calls the place, and whether that is a building (or compound) or a road */
	label: string;
	onRoad: boolean;
}

function placeOf(ctx: Context, cell: CellContent, flood: FloodSpec[], core: IssueCore): IssuePlace {
	const rng = ctx.streams.rng('issue-place', core.index);
	const building = (b: BuildingSpec, label?: string): IssuePlace => ({
		building: b,
		point: { type: 'Point', coordinates: toLngLat(b.x, b.y) },
		label: label ?? (b.compound >= 0 ? cell.compounds[b.compound].name : b.place),
		onRoad: false
	});
	if (core.seed === 'jiangnan') {
		const compound = cell.compounds.find((k) => k.index === ctx.plan.seedCompounds.jiangnan)!;
		return building(cell.buildings[compound.buildings[0]]);
	}
	if (core.ordinal < flood.length) {
		const spot = flood[core.ordinal];
		return {
			building: spot.building,
			point: { type: 'Point', coordinates: toLngLat(spot.x, spot.y) },
			label: spot.building ? spot.building.place : cell.road,
			onRoad: !spot.building
		};
	}
	if (cell.buildings.length > 0 && rng.chance(0.5)) return building(cell.buildings[rng.int(0, cell.buildings.length - 1)]);
	// Anywhere in the cell: a bilinear blend of its corners stays inside the (convex) cell.
	const { layout } = ctx;
	const col = layout.gridCol[cell.grid];
	const row = layout.gridRow[cell.grid];
	const u = rng.range(0.05, 0.95);
	const v = rng.range(0.05, 0.95);
	const nw = node(layout, col, row);
	const ne = node(layout, col + 1, row);
	const sw = node(layout, col, row + 1);
	const se = node(layout, col + 1, row + 1);
	const blend = (i: 0 | 1) => round7((1 - u) * (1 - v) * nw[i] + u * (1 - v) * ne[i] + (1 - u) * v * sw[i] + u * v * se[i]);
	return { building: null, point: { type: 'Point', coordinates: [blend(0), blend(1)] }, label: cell.road, onRoad: true };
}

function titleOf(core: IssueCore, place: IssuePlace): string {
	if (core.seed === 'qianteng') return '千藤街48号低洼地带雨水倒灌导致居民住宅进水';
	if (core.seed === 'jiangnan') return `${SEED_COMPOUNDS.jiangnan}停车难,居民要求增设停车位`;
	const templates = ISSUE_TITLES[core.category][place.onRoad ? 'road' : 'building'];
	return templates[core.index % templates.length].replace('{p}', place.label);
}

const iso = (ms: number) => new Date(ms).toISOString();

export function issueRecord(ctx: Context, cell: CellContent, flood: FloodSpec[], core: IssueCore): IssueRecord {
	const place = placeOf(ctx, cell, flood, core);
	return {
		code: issueCode(core.index),
		title: titleOf(core, place),
		category: core.category,
		matter_type: core.matter,
		urgency: core.urgency,
		status: core.steps[core.steps.length - 1].status,
		source: core.source,
		reported_at: iso(core.steps[0].at),
		due_at: core.dueAt === null ? null : iso(core.dueAt),
		resolved_on_site: core.onSite,
		building_code: place.building ? place.building.code : null,
		geometry: place.point
	};
}

const MATTER_LABEL: Record<MatterType, string> = { major: '大事', practical: '实事', important: '要事', urgent: '急事', difficult: '难事' };
const SOURCE_NOTE: Record<IssueSource, string> = {
	patrol: '网格员巡查发现',
	resident: '居民反映',
	joint_meeting: '共驻共建联席会现场收集',
	hotline: '12345热线转办',
	department: '县级部门移交'
};

/** The events of one issue: who moved it, when, and why. */
export function issueEvents(ctx: Context, g: number, core: IssueCore): IssueEventRecord[] {
	const community = ctx.layout.gridCommunity[g];
	const roster = ctx.roster;
	const secretary = roster.communitySecretary(community);
	const department = core.seed === 'jiangnan' ? '县住建局' : CATEGORY_DEPARTMENT[core.category];
	const code = issueCode(core.index);
	const events: IssueEventRecord[] = [];
	for (let k = 0; k < core.steps.length; k++) {
		const { status, at } = core.steps[k];
		const day = Math.floor(at / DAY_MS);
		const worker = roster.gridWorker(g, day);
		let actor: string | null = secretary;
		let note: string | null = null;
		switch (status) {
			case 'reported':
				actor = core.source === 'patrol' ? worker : core.source === 'joint_meeting' ? roster.firstSecretary(community) : null;
				note = SOURCE_NOTE[core.source];
				break;
			case 'registered':
				note = `五事分流:${MATTER_LABEL[core.matter]},${core.urgency === 'urgent' ? '紧急' : '一般'}`;
				break;
			case 'rejected':
				note = '不属于社区受理范围,已告知反映人';
				break;
			case 'escalated':
				note = `社区吹哨:报请${department}`;
				break;
			case 'dispatched':
				note = core.escalated ? `派遣至${department}` : '派遣至网格员';
				break;
			case 'in_progress':
				// A department that answers the whistle acts through its own staff, not a rostered person.
				actor = core.escalated ? null : worker;
				note = core.escalated ? `${department}报到,现场处置` : null;
				break;
			case 'resolved':
				actor = core.onSite ? roster.firstSecretary(community) : core.escalated ? null : worker;
				note = core.onSite ? '第一书记现场办公解决' : null;
				break;
			case 'returned':
				note = '核查未通过,返工处理';
				break;
			case 'verified':
				note = '核查通过';
				break;
			case 'backlog':
				note = '挂账:纳入年度计划解决';
				break;
		}
		events.push({
			issue_code: code,
			at: iso(at),
			actor_code: actor,
			from_status: k === 0 ? null : core.steps[k - 1].status,
			to_status: status,
			note
		});
	}
	return events;
}
