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
import type { User, UserRole } from './user.js';

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

/** The roles that read everything (territory.ts): county-wide reports are theirs. */
const READ_ALL = { admin: 'any', planner: 'any', housing: 'any' } as const satisfies Partial<Record<Holder, Reach>>;
/** The county's drainage ledger: who creates and edits flood spots. */
const FLOOD_LEDGER = READ_ALL;
/** Who switches rain alerts on and off. */
const RAIN_ALERTERS = { admin: 'any', planner: 'any' } as const satisfies Partial<Record<Holder, Reach>>;
/** The field roles, each in their territory. */
const FIELD_ROLES = { grid_worker: 'territory', building_head: 'territory', community_admin: 'territory' } as const satisfies Partial<Record<Holder, Reach>>;
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

	'area-issue.list': { what: 'see issues', holders: SIGNED_IN_TERRITORY },
	'area-figure.read': { what: 'see renovation and flood figures', holders: SIGNED_IN_TERRITORY },
	'choropleth.read': { what: 'see issue figures', holders: SIGNED_IN_TERRITORY },
	// It spans the county and names people across it: for the roles that read everything.
	'coverage-report.read': { what: 'see the coverage report', holders: READ_ALL },
	'person.read': { what: 'see people', holders: SIGNED_IN_TERRITORY },
	// Refused in the domain (manage.ts) as "a <role> may not change assignments".
	'roster.edit': { what: 'change assignments', holders: { admin: 'any', community_admin: 'territory' } },
	// Refused in the domain (boundaries.ts); a community admin moves only the edges between their own grids.
	'boundary.apply': { what: 'change boundaries', holders: { admin: 'any', community_admin: 'territory' } },

	// ------------------------------------------------------------ cases
	// Which transition a role may take, and on which case, is data (case_transitions, case-rules.ts):
	// these gate the endpoints; the reach says how far the table and the territory let each role go.
	'case.report': { what: 'report a case', holders: { admin: 'any', department: 'territory', community_admin: 'territory', grid_worker: 'territory', building_head: 'territory' } },
	'case.read': { what: 'read cases', holders: SIGNED_IN_TERRITORY },
	'case.transition': { what: 'change a case', holders: SIGNED_IN_TERRITORY },
	'case.acknowledge': { what: 'acknowledge an escalation', holders: { department: 'handler' } },
	// a rating by call: entered by whoever called the reporter, for a case in their territory or theirs to handle
	'case.rate': { what: 'enter a rating by call', holders: { admin: 'any', community_admin: 'territory', grid_worker: 'territory' } },
	// the planner and the housing bureau read cases on the map and the dashboard; they have no work lists (cases.ts LISTS_OF_ROLE)
	'case.worklist.read': { what: 'read work lists', holders: { admin: 'any', department: 'territory', community_admin: 'territory', grid_worker: 'territory', building_head: 'territory' } },
	'case.export': { what: 'export cases', holders: SIGNED_IN_TERRITORY },
	'case-photo.read': { what: 'see photos of cases', holders: SIGNED_IN_TERRITORY },
	// the settings are county-wide: every report form reads them, only an admin changes them
	'case-category.read': { what: 'read case categories', holders: { admin: 'any', planner: 'any', housing: 'any', department: 'any', community_admin: 'any', grid_worker: 'any', building_head: 'any' } },
	'case-category.edit': { what: 'change case categories', holders: ADMIN_ONLY },
	'case-time-limit.read': { what: 'read case time limits', holders: { admin: 'any', planner: 'any', housing: 'any', department: 'any', community_admin: 'any', grid_worker: 'any', building_head: 'any' } },
	'case-time-limit.edit': { what: 'change case time limits', holders: ADMIN_ONLY },
	'case-ack-limit.edit': { what: 'change acknowledgement limits', holders: ADMIN_ONLY },
	'case-settings.edit': { what: 'change case settings', holders: ADMIN_ONLY },
	'api-key.list': { what: 'read API keys', holders: ADMIN_ONLY },
	'api-key.issue': { what: 'issue API keys', holders: ADMIN_ONLY },
	'api-key.revoke': { what: 'revoke API keys', holders: ADMIN_ONLY },

	// ------------------------------------------------------------ renovation
	'renovation.read': { what: 'read the renovation ledger', holders: SIGNED_IN_TERRITORY },
	'renovation.create': { what: 'create renovation projects', holders: { admin: 'any', housing: 'any' } },
	'renovation.edit': { what: 'edit renovation projects', holders: { admin: 'any', housing: 'any' } },
	'renovation.photo': { what: 'add photos to renovation projects', holders: { admin: 'any', housing: 'any' } },

	// ------------------------------------------------------------ flood and rain alerts

	'flood.read': { what: 'read flood spots', holders: SIGNED_IN_TERRITORY },
	'flood.create': { what: 'create flood spots', holders: FLOOD_LEDGER },
	'flood.edit': { what: 'edit flood spots', holders: FLOOD_LEDGER },
	// Those who see the water first add incidents to spots inside their territory (flood.ts).
	'flood-incident.add': { what: 'add flood incidents', holders: { ...FLOOD_LEDGER, community_admin: 'territory', grid_worker: 'territory' } },
	'rain-alert.read': { what: 'read rain alerts', holders: SIGNED_IN_TERRITORY },
	'rain-alert.switch': { what: 'switch rain alerts on', holders: RAIN_ALERTERS },
	'rain-alert.preview': { what: 'preview rain alerts', holders: RAIN_ALERTERS },
	'rain-alert.end': { what: 'switch rain alerts off', holders: RAIN_ALERTERS },
	'rain-alert.check': { what: 'check buildings off', holders: { admin: 'any', community_admin: 'territory', grid_worker: 'territory' } },

	// ------------------------------------------------------------ field work

	'visit.record': { what: 'record visits', holders: { admin: 'any', community_admin: 'territory', grid_worker: 'territory', building_head: 'territory' } },
	'visit.read': { what: 'read visits', holders: SIGNED_IN_TERRITORY },
	'visit-coverage.read': { what: 'read visit coverage', holders: SIGNED_IN_TERRITORY },
	'visit-photo.read': { what: 'see photos of visits', holders: SIGNED_IN_TERRITORY },
	'placement.check': { what: 'check a place', holders: SIGNED_IN_TERRITORY },
	'my-building.read': { what: 'see your buildings', holders: SIGNED_IN_TERRITORY },
	// The field roles that carry their territory on a phone (offline-pack.ts).
	'offline-pack.take': { what: 'take a territory offline', holders: FIELD_ROLES },
	// The map opens in field mode (the nearest buildings first) for those who walk the buildings.
	'field-mode.use': { what: 'work in field mode', holders: { grid_worker: 'territory', building_head: 'territory' } },

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

	// ------------------------------------------------------------ pages only (what a page offers; no request needs these)
	// The report form's 即知即办 box: the staff who resolve a case where they stand (the transition itself is case_transitions' to allow).
	'case.resolve-on-site': { what: 'resolve a case on the spot', holders: { grid_worker: 'territory', community_admin: 'territory' } },
	// A visit's 即知即办 box: the grid worker on their round.
	'visit.resolve-on-site': { what: 'resolve a case on the spot during a visit', holders: { grid_worker: 'territory' } },
	// The header's links: the field roles work from /me, not from the county's dashboard; the housing bureau's home is the ledger.
	'nav.dashboard': { what: 'see the dashboard link', holders: { admin: 'any', planner: 'any', housing: 'any', department: 'territory', community_admin: 'territory' } },
	'nav.renovation': { what: 'see the renovation ledger link', holders: { housing: 'any' } },

	// ------------------------------------------------------------ interfaces (OGC, Open311, tiles, offline)

	'offline-tiles.fetch': { what: 'fetch offline tiles', holders: SIGNED_IN_TERRITORY },

	// ------------------------------------------------------------ (end of the table)
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
