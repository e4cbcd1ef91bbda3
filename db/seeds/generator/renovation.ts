/**
 * 老旧小区改造 renovation areas: batch 1 (the 18 old areas already done) and batch 2 (the 16
 * areas of the ¥280M programme), scaled by N.
 *
 * The old compounds of lowest rank (plan.ts) head the areas, so area r is compound rank r:
 * 酱园坪 is rank 0, the first demonstration area. An area is its compound's fence pushed out
 * a metre; when the block east of it holds an old compound without an area of its own, the
 * area takes that one in too (片区), which stays inside the two blocks and so overlaps no
 * other compound or area.
 */
import type { RenovationStatus } from '../../../src/lib/domain/glossary.js';
import type { RenovationRecord } from '../../../src/lib/domain/records.js';
import type { CellContent, CompoundSpec } from './buildings.js';
import { type Context, pad } from './context.js';
import { expand, rectRing, union } from './geometry.js';
import { REFERENCE_DAY, dayOf, isoDay } from './plan.js';
import { apportion } from './random.js';

export const renovationCode = (r: number) => `R${pad(r + 1, 4)}`;

const budgetsByContext = new WeakMap<Context, Int32Array>();

/** Batch-2 budgets in ¥10,000 units, summing exactly to the programme total. */
function batch2Budgets(ctx: Context): Int32Array {
	let budgets = budgetsByContext.get(ctx);
	if (!budgets) {
		const weights = new Float64Array(ctx.sizes.renovationBatch2);
		for (let i = 0; i < weights.length; i++) weights[i] = ctx.streams.rng('renovation-budget', i).range(0.4, 1.6);
		budgets = apportion(ctx.sizes.batch2BudgetUnits, weights);
		budgetsByContext.set(ctx, budgets);
	}
	return budgets;
}

const BATCH1_STATUS: readonly (readonly [RenovationStatus, number])[] = [
	['accepted', 55],
	['completed', 30],
	['under_construction', 15]
];
const BATCH2_STATUS: readonly (readonly [RenovationStatus, number])[] = [
	['planned', 10],
	['approved', 25],
	['under_construction', 45],
	['completed', 20]
];

function partnerOf(cell: CellContent, head: CompoundSpec): CompoundSpec | null {
	if (head.flags.rank === 0) return null; // 酱园坪 stays an area of its own, as in the seed
	return (
		cell.compounds.find(
			(k) => k.blockRow === head.blockRow && k.blockCol === head.blockCol + 1 && k.flags.isOld && k.flags.renovation < 0
		) ?? null
	);
}

export function renovationRecord(ctx: Context, cell: CellContent, head: CompoundSpec): RenovationRecord {
	const { sizes } = ctx;
	const r = head.flags.renovation;
	const rng = ctx.streams.rng('renovation', r);
	const batch = r < sizes.renovationBatch1 ? 1 : 2;
	let status = rng.choose(batch === 1 ? BATCH1_STATUS : BATCH2_STATUS);
	if (r === 0) status = 'accepted';
	const budget = (batch === 1 ? rng.int(150, 1200) : batch2Budgets(ctx)[r - sizes.renovationBatch1]) * 10_000;

	const duration = rng.int(240, 600);
	const latestStart = REFERENCE_DAY - duration - 5;
	let start: number | null;
	// Batch 1 started in 2021–2024; the few of it still being built are its late starters.
	if (batch === 1 && status === 'under_construction') start = rng.int(dayOf(2024, 1, 1), dayOf(2026, 3, 31));
	else if (batch === 1) start = rng.int(dayOf(2021, 9, 1), Math.min(dayOf(2024, 6, 30), latestStart));
	else if (status === 'completed') start = rng.int(dayOf(2024, 3, 1), latestStart);
	else start = rng.int(dayOf(2024, 3, 1), dayOf(2026, 6, 30));
	let end: number | null = null;
	let secured: number;
	let spent: number;
	let progress: number;
	const share = (lo: number, hi: number) => rng.range(lo, hi);
	switch (status) {
		case 'planned':
			start = null;
			secured = budget * share(0, 0.3);
			spent = 0;
			progress = 0;
			break;
		case 'approved':
			start = null;
			secured = budget * share(0.5, 1);
			spent = 0;
			progress = rng.int(0, 5);
			break;
		case 'under_construction':
			secured = budget * share(0.8, 1);
			spent = secured * share(0.2, 0.8);
			progress = rng.int(10, 90);
			break;
		default:
			// completed / accepted
			end = start! + duration;
			secured = budget;
			spent = budget * (status === 'accepted' ? share(0.95, 1) : share(0.9, 1));
			progress = 100;
	}
	const roundDown100 = (v: number) => Math.floor(v / 100) * 100;
	const demo =
		r < sizes.demonstrationsBatch1 ||
		(r >= sizes.renovationBatch1 && r < sizes.renovationBatch1 + sizes.demonstrationsBatch2);
	const stages = stageDays(ctx, r, status, start, end);
	const partner = partnerOf(cell, head);
	const area = expand(partner ? union(head.rect, partner.rect) : head.rect, 1);
	return {
		code: renovationCode(r),
		name: `${head.name}老旧小区改造`,
		status,
		batch,
		budget_yuan: budget,
		funds_secured_yuan: roundDown100(secured),
		spent_yuan: roundDown100(spent),
		start_date: start === null ? null : isoDay(start),
		end_date: end === null ? null : isoDay(end),
		progress_pct: progress,
		is_demonstration: demo,
		party_branch_set_up: head.flags.hasPartyBranch,
		red_property: head.flags.isRedProperty,
		stages,
		geometry: { type: 'MultiPolygon', coordinates: [[rectRing(area)]] }
	};
}

/**
 * The day each stage the project has reached was reached (issue 21: the ledger dates every
 * stage): planned 60–240 days before approval, approved 30–150 days before work began (or
 * before the reference day when it has not begun), built from start to end, accepted 20–90
 * days after completion. Its own random stream, so the rest of the sample stays as it was.
 */
function stageDays(ctx: Context, r: number, status: RenovationStatus, start: number | null, end: number | null): Partial<Record<RenovationStatus, string>> {
	const rng = ctx.streams.rng('renovation-stages', r);
	const begun = start ?? REFERENCE_DAY - rng.int(20, 200);
	const approved = begun - rng.int(30, 150);
	const planned = approved - rng.int(60, 240);
	const days: Partial<Record<RenovationStatus, number>> = { planned };
	if (status !== 'planned') days.approved = status === 'approved' ? begun : approved;
	if (start !== null) days.under_construction = start;
	if (end !== null) days.completed = end;
	if (status === 'accepted' && end !== null) days.accepted = Math.min(end + rng.int(20, 90), REFERENCE_DAY);
	return Object.fromEntries(Object.entries(days).map(([s, d]) => [s, isoDay(d)]));
}
