/**
 * The one permission table: every capability the app grants, which roles hold it and how far
 * it reaches for each. `may(user, capability, target?)` is the only check the server makes;
 * the HTTP layer's `allow()` (http/allow.ts) turns a "no" into a 401 or 403 naming what was
 * refused, and the root layout hands pages the capabilities of their user, so no page and no
 * module carries a role list of its own. The access matrix test walks this table: every
 * capability × every role (and the anonymous caller).
 *
 * Reach, for a role that holds a capability:
 * - any: county-wide;
 * - territory: inside the caller's territory (territory.ts: a community admin's community, a
 *   grid worker's grids, a department's liaison communities …). The caller establishes the
 *   fact (a query through the scope) and passes it as `target.inTerritory`;
 * - handler: the case's current handler (case_transitions decides who handles what);
 * - own: the caller's own record (their placement, their sessions, their report).
 * Without a target, `may` answers whether the role holds the capability at all: enough to
 * gate an endpoint whose query then keeps to the territory (every list, tile and export does).
 */
import type { User, UserRole } from './accounts.js';

export type Reach = 'any' | 'territory' | 'handler' | 'own';
/** Who a capability names: a role, or the caller who is not signed in. */
export type Holder = UserRole | 'anonymous';

export interface Permission {
	/** what it allows, as the refusal names it: "a planner account may not <what>" */
	what: string;
	/** the holders and each one's reach; a holder not named lacks the capability */
	holders: Partial<Record<Holder, Reach>>;
}

/** Everyone signed in, each within their territory, except the county-wide readers. */
const SIGNED_IN_TERRITORY = {
	admin: 'any',
	planner: 'any',
	housing: 'any',
	department: 'territory',
	community_admin: 'territory',
	grid_worker: 'territory',
	building_head: 'territory'
} as const satisfies Partial<Record<Holder, Reach>>;

const ADMIN_ONLY = { admin: 'any' } as const satisfies Partial<Record<Holder, Reach>>;

/** 三个一: an admin anywhere, a community admin where it administers, any account in the community it is First Secretary of. */
const FIRST_SECRETARY_OR_ADMINISTRATOR = {
	admin: 'any',
	community_admin: 'territory',
	planner: 'own',
	housing: 'own',
	department: 'own',
	grid_worker: 'own',
	building_head: 'own'
} as const satisfies Partial<Record<Holder, Reach>>;

export const PERMISSIONS = {
	// ------------------------------------------------------------ accounts and platform
	'token.list': { what: 'list access tokens', holders: ADMIN_ONLY },
	'token.issue': { what: 'issue access tokens', holders: ADMIN_ONLY },
	'token.revoke': { what: 'revoke access tokens', holders: ADMIN_ONLY },
	'sign-in-lock.read': { what: 'see sign-in locks', holders: ADMIN_ONLY },
	'sign-in-lock.clear': { what: 'unlock sign-ins', holders: ADMIN_ONLY },
	'calendar.load': { what: 'load the work calendar', holders: ADMIN_ONLY },
	'calendar.read': { what: 'read the work calendar', holders: SIGNED_IN_TERRITORY },

	// ------------------------------------------------------------ areas, ownership, rosters

	// ------------------------------------------------------------ cases

	// ------------------------------------------------------------ renovation
	'renovation.read': { what: 'read the renovation ledger', holders: SIGNED_IN_TERRITORY },
	'renovation.create': { what: 'create renovation projects', holders: { admin: 'any', housing: 'any' } },
	'renovation.edit': { what: 'edit renovation projects', holders: { admin: 'any', housing: 'any' } },
	'renovation.photo': { what: 'add photos to renovation projects', holders: { admin: 'any', housing: 'any' } },

	// ------------------------------------------------------------ flood and rain alerts

	// ------------------------------------------------------------ field work

	// ------------------------------------------------------------ governance (departments, 双报到, 三个一, service lists, evaluation, dashboard)
	'department.read': { what: 'read department pages', holders: { admin: 'any', planner: 'any', housing: 'any', department: 'own' } },
	'liaison.change': { what: 'change liaison departments', holders: ADMIN_ONLY },
	// 双报到: party members, service items and claims; the places each may act in are the verbs' to check
	'party-member.read': { what: 'read the party members', holders: SIGNED_IN_TERRITORY },
	'party-member.register': { what: 'register party members', holders: { admin: 'any', department: 'any', community_admin: 'territory' } },
	'party-member.change': { what: 'change party members', holders: { admin: 'any', department: 'territory', community_admin: 'territory' } },
	'service-item.read': { what: 'read the service items', holders: SIGNED_IN_TERRITORY },
	'service-item.post': { what: 'post service items', holders: { admin: 'any', community_admin: 'territory' } },
	'service-item.claim': { what: 'claim service items', holders: { admin: 'any', department: 'territory', community_admin: 'territory' } },
	'service.record': { what: 'record service', holders: { admin: 'any', department: 'territory', community_admin: 'territory' } },
	'dual-reporting.read': { what: 'read the 双报到 figures', holders: SIGNED_IN_TERRITORY },
	// 三张清单: resources, demands, projects
	'resource.read': { what: 'read the resource list', holders: SIGNED_IN_TERRITORY },
	'resource.add': { what: 'add resources', holders: { admin: 'any', department: 'own', community_admin: 'territory' } },
	'demand.read': { what: 'read the demand list', holders: SIGNED_IN_TERRITORY },
	'demand.record': { what: 'record demands', holders: { admin: 'any', community_admin: 'territory', grid_worker: 'territory', building_head: 'territory' } },
	'demand.match': { what: 'match demands', holders: SIGNED_IN_TERRITORY },
	'service-project.read': { what: 'read the project list', holders: SIGNED_IN_TERRITORY },
	'service-project.agree': { what: 'agree service projects', holders: { admin: 'any', community_admin: 'territory' } },
	'service-project.update': { what: 'update service projects', holders: { admin: 'any', community_admin: 'territory' } },
	// 三个一 and joint meetings: an admin anywhere, a community admin where it administers, and
	// whoever is a community's First Secretary for that community (own), whatever their role
	'three-ones.read': { what: 'read 三个一', holders: SIGNED_IN_TERRITORY },
	'three-ones.record': { what: 'record 三个一', holders: FIRST_SECRETARY_OR_ADMINISTRATOR },
	'meeting.read': { what: 'read meetings', holders: SIGNED_IN_TERRITORY },
	'meeting.record': { what: 'record a meeting', holders: FIRST_SECRETARY_OR_ADMINISTRATOR },
	'matter.to-case': { what: 'turn a matter into a case', holders: FIRST_SECRETARY_OR_ADMINISTRATOR },
	// 考核评价: not for grid workers and building heads, whose territory is part of a community
	'evaluation.read': { what: 'read evaluations', holders: { admin: 'any', planner: 'any', housing: 'any', department: 'territory', community_admin: 'territory' } },
	'evaluation.write': { what: 'write evaluations', holders: { admin: 'any', department: 'own', community_admin: 'territory' } },
	'evaluation.score': { what: 'give the county score (组织考评)', holders: ADMIN_ONLY },
	'dashboard.read': { what: 'read the dashboard', holders: SIGNED_IN_TERRITORY },

	// ------------------------------------------------------------ interfaces (OGC, Open311, tiles, offline)

	// ------------------------------------------------------------ (end of the table)
	'area.read': { what: 'read areas', holders: SIGNED_IN_TERRITORY }
} as const satisfies Record<string, Permission>;

export type Capability = keyof typeof PERMISSIONS;
export const CAPABILITIES = Object.keys(PERMISSIONS) as Capability[];

/** What the caller established about the thing acted on, for reaches narrower than `any`. */
export interface Target {
	inTerritory?: boolean;
	isHandler?: boolean;
	isOwn?: boolean;
}

const holderOf = (user: User | null): Holder => user?.role ?? 'anonymous';

/** How far a capability reaches for this caller, or null when they lack it. */
export function reachOf(user: User | null, capability: Capability): Reach | null {
	const holders: Partial<Record<Holder, Reach>> = PERMISSIONS[capability].holders;
	return holders[holderOf(user)] ?? null;
}

/**
 * Whether the caller may do it: the role holds the capability, and, given a target, its reach
 * covers the target (`any` covers everything; the others need the fact the target states).
 */
export function may(user: User | null, capability: Capability, target?: Target): boolean {
	const reach = reachOf(user, capability);
	if (!reach) return false;
	if (!target || reach === 'any') return true;
	if (reach === 'territory') return target.inTerritory === true;
	if (reach === 'handler') return target.isHandler === true;
	return target.isOwn === true;
}

/** Every capability the caller holds (at some reach): what the layout hands pages. */
export function capabilitiesOf(user: User | null): Capability[] {
	return CAPABILITIES.filter((c) => reachOf(user, c) !== null);
}
