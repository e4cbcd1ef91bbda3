/**
 * Departments, liaison units and the people of the "4+N" and "两长两员" systems, with their
 * assignments.
 *
 * People are numbered in role sections (street secretaries, first secretaries, community
 * secretaries, grid workers, former grid workers, compound branch secretaries, building
 * heads, party group leaders, registered party members), so a person's code follows from
 * the role and the thing they serve, and any layer can name a responsible person without
 * holding the roster.
 */
import type { Role } from '../../../src/lib/domain/glossary.js';
import type { AssignmentRecord, DepartmentRecord, LiaisonRecord, PersonRecord } from '../../../src/lib/domain/records.js';
import { buildingCode, compoundCode } from './buildings.js';
import { type Context, type Roster, pad } from './context.js';
import { gridCode, type Layout, type Topology } from './layout.js';
import { DEPARTMENTS, personName, phoneNumber } from './names.js';
import { dayOf, isoDay, type Plan } from './plan.js';
import type { Streams } from './random.js';

export const departmentCode = (d: number) => `D${pad(d + 1, 3)}`;
export const personCode = (p: number) => `P${pad(p + 1, 7)}`;

/**
 * 5–7 liaison departments per community, 6 on average, drawn from shuffled passes over the
 * 78 departments: at scale 1 (13 × 6 = 78) every department liaises with exactly one community,
 * as in the seed.
 */
function drawLiaisons(topology: Topology, streams: Streams): number[][] {
	const communities = topology.communities.length;
	const rng = streams.rng('liaisons');
	const sizes = Array(communities).fill(6);
	for (let t = 0; t < Math.floor(communities / 2); t++) {
		const a = rng.int(0, communities - 1);
		const b = rng.int(0, communities - 1);
		if (a !== b && sizes[a] > 5 && sizes[b] < 7) {
			sizes[a]--;
			sizes[b]++;
		}
	}
	const deck: number[] = [];
	const refill = () => deck.push(...rng.shuffle(DEPARTMENTS.map((_, d) => d)));
	return sizes.map((size) => {
		const chosen: number[] = [];
		while (chosen.length < size) {
			if (deck.length === 0) refill();
			// A pass boundary can bring a department back too soon; take the next new one.
			let at = deck.findIndex((d) => !chosen.includes(d));
			while (at < 0) {
				refill();
				at = deck.findIndex((d) => !chosen.includes(d));
			}
			chosen.push(deck.splice(at, 1)[0]);
		}
		return chosen;
	});
}

export function buildRoster(layout: Layout, plan: Plan, streams: Streams): Roster {
	const sizes = layout.sizes;
	const streets = layout.streets.length;
	const communities = layout.communities.length;
	const grids = layout.gridCol.length;
	const o = { streetSecretary: 0 } as Roster['offsets'];
	o.firstSecretary = o.streetSecretary + streets;
	o.communitySecretary = o.firstSecretary + communities;
	o.gridWorker = o.communitySecretary + communities;
	o.formerGridWorker = o.gridWorker + grids;
	o.branchSecretary = o.formerGridWorker + plan.totals.formerWorkers;
	o.buildingHead = o.branchSecretary + sizes.partyBranches;
	o.partyGroupLeader = o.buildingHead + sizes.buildingHeads;
	o.registeredMember = o.partyGroupLeader + sizes.partyGroupLeaders;
	o.total = o.registeredMember + sizes.registeredMembers;
	return {
		offsets: o,
		liaisons: drawLiaisons(layout, streams),
		gridWorker(g, day) {
			if (plan.formerWorker[g] && day < plan.workerSince[g]) return personCode(o.formerGridWorker + plan.formerStart[g]);
			return personCode(o.gridWorker + g);
		},
		streetSecretary: (s) => personCode(o.streetSecretary + s),
		firstSecretary: (c) => personCode(o.firstSecretary + c),
		communitySecretary: (c) => personCode(o.communitySecretary + c)
	};
}

export function* departments(): Generator<DepartmentRecord> {
	for (let d = 0; d < DEPARTMENTS.length; d++) yield { code: departmentCode(d), name: DEPARTMENTS[d] };
}

export function* liaisons(ctx: Context): Generator<LiaisonRecord> {
	for (const community of ctx.layout.communities) {
		const units = ctx.roster.liaisons[community.index];
		for (let i = 0; i < units.length; i++) {
			yield { community_code: community.code, department_code: departmentCode(units[i]), is_lead: i === 0 };
		}
	}
}

/** The section a person number falls in. */
function roleOf(ctx: Context, p: number): Role | 'former_grid_worker' {
	const o = ctx.roster.offsets;
	if (p < o.firstSecretary) return 'street_secretary';
	if (p < o.communitySecretary) return 'first_secretary';
	if (p < o.gridWorker) return 'community_secretary';
	if (p < o.formerGridWorker) return 'grid_worker';
	if (p < o.branchSecretary) return 'former_grid_worker';
	if (p < o.buildingHead) return 'compound_branch_secretary';
	if (p < o.partyGroupLeader) return 'building_head';
	if (p < o.registeredMember) return 'party_group_leader';
	return 'registered_party_member';
}

const LEADERSHIP_SINCE: [number, number] = [dayOf(2024, 1, 1), dayOf(2025, 4, 30)];
const RESIDENT_SINCE: [number, number] = [dayOf(2024, 1, 1), dayOf(2026, 10, 1)];

/** One person's own draws, in a fixed order: name, party membership, unit, start date. */
function personDraws(ctx: Context, p: number) {
	const rng = ctx.streams.rng('person', p);
	const role = roleOf(ctx, p);
	const name = personName(rng);
	const partyShare =
		role === 'grid_worker' || role === 'former_grid_worker' ? 0.65 : role === 'building_head' ? 0.45 : 1;
	const isPartyMember = rng.chance(partyShare);
	const unit = rng.int(0, DEPARTMENTS.length - 1);
	const span = role === 'building_head' || role === 'party_group_leader' || role === 'registered_party_member' ? RESIDENT_SINCE : LEADERSHIP_SINCE;
	const since = rng.int(span[0], span[1]);
	return { role, name, isPartyMember, unit, since };
}

export function* people(ctx: Context): Generator<PersonRecord> {
	const key = ctx.streams.key('phone');
	const o = ctx.roster.offsets;
	for (let p = 0; p < o.total; p++) {
		const d = personDraws(ctx, p);
		let department: string | null = null;
		// A first secretary is a county leader; their unit is the community's lead department.
		if (d.role === 'first_secretary') department = departmentCode(ctx.roster.liaisons[p - o.firstSecretary][0]);
		// 双报到: in-service party members register with a building from their own unit.
		if (d.role === 'registered_party_member') department = departmentCode(d.unit);
		yield {
			code: personCode(p),
			name: d.name,
			phone: phoneNumber(p, key),
			is_party_member: d.isPartyMember,
			department_code: department
		};
	}
}

export function* assignments(ctx: Context): Generator<AssignmentRecord> {
	const { layout, plan, sizes } = ctx;
	const o = ctx.roster.offsets;
	const since = (p: number) => isoDay(personDraws(ctx, p).since);
	const one = (p: number, role: Role, level: AssignmentRecord['level'], target: string, from: string, to: string | null = null): AssignmentRecord => ({
		person_code: personCode(p),
		role,
		level,
		target_code: target,
		valid_from: from,
		valid_to: to
	});

	for (const street of layout.streets) {
		const p = o.streetSecretary + street.index;
		yield one(p, 'street_secretary', 'street', street.code, since(p));
	}
	for (const community of layout.communities) {
		const p = o.firstSecretary + community.index;
		yield one(p, 'first_secretary', 'community', community.code, since(p));
	}
	for (const community of layout.communities) {
		const p = o.communitySecretary + community.index;
		yield one(p, 'community_secretary', 'community', community.code, since(p));
	}
	for (let g = 0; g < layout.gridCol.length; g++) {
		const code = gridCode(layout, g);
		if (plan.formerWorker[g]) {
			yield one(o.formerGridWorker + plan.formerStart[g], 'grid_worker', 'grid', code, isoDay(plan.formerSince[g]), isoDay(plan.workerSince[g] - 1));
		}
		yield one(o.gridWorker + g, 'grid_worker', 'grid', code, isoDay(plan.workerSince[g]));
	}
	let branch = 0;
	for (let g = 0; g < layout.gridCol.length; g++) {
		for (let ordinal = 0; ordinal < plan.compoundCount[g]; ordinal++) {
			if (!plan.compoundFlags(plan.compoundStart[g] + ordinal).hasPartyBranch) continue;
			const p = o.branchSecretary + branch++;
			yield one(p, 'compound_branch_secretary', 'compound', compoundCode(ctx, g, ordinal), since(p));
		}
	}
	const buildings = plan.totals.buildings;
	let head = 0;
	for (let b = 0; b < buildings; b++) {
		if (!plan.hasBuildingHead(b)) continue;
		const p = o.buildingHead + head++;
		yield one(p, 'building_head', 'building', buildingCode(b), since(p));
	}
	// Every building has a party group leader; each leader covers a run of neighbouring buildings.
	const leaders = sizes.partyGroupLeaders;
	for (let l = 0; l < leaders; l++) {
		const p = o.partyGroupLeader + l;
		const from = since(p);
		const first = Math.ceil((l * buildings) / leaders);
		const end = Math.ceil(((l + 1) * buildings) / leaders);
		for (let b = first; b < end; b++) yield one(p, 'party_group_leader', 'building', buildingCode(b), from);
	}
	// Registered party members spread evenly over the buildings (3–4 each at scale 1).
	const members = sizes.registeredMembers;
	for (let m = 0; m < members; m++) {
		const p = o.registeredMember + m;
		const b = Math.floor(((m + 0.5) * buildings) / members);
		yield one(p, 'registered_party_member', 'building', buildingCode(b), since(p));
	}
}

/** Exact number of assignment records. */
export function assignmentCount(ctx: Context): number {
	const { layout, plan, sizes } = ctx;
	return (
		layout.streets.length +
		2 * layout.communities.length +
		layout.gridCol.length +
		plan.totals.formerWorkers +
		sizes.partyBranches +
		sizes.buildingHeads +
		plan.totals.buildings +
		sizes.registeredMembers
	);
}
