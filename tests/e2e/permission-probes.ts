/**
 * One probe per capability of the permission table, for the generated access matrix
 * (permissions.test.ts): a request that needs the capability and, once past the check, is
 * refused for its body or target — so probing writes nothing. A capability added to the table
 * without a probe here fails the matrix's first test.
 */
import type { Capability } from '../../src/lib/server/accounts/permissions.js';

export interface Probe {
	method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
	path: string;
	/** a JSON body; omitted for a request without one */
	body?: unknown;
	/** a page, not an endpoint: the anonymous caller is sent to sign in (303), a non-holder gets the 403 page */
	page?: boolean;
	/** the words of the refusal where a domain verb makes it, knowing the target, in its own terms */
	refusal?: string;
	/** a capability that only shapes pages (no request needs it): the matrix reads the layout's `can` instead */
	ui?: boolean;
}

/**
 * Placeholders a path may hold, filled per caller by the matrix: `{case}` a case inside the
 * caller's territory (any case for a county-wide role), `{resolved}` a resolved one.
 */
export const PLACEHOLDERS = ['{case}', '{resolved}'] as const;

export const PROBES: Record<Capability, Probe> = {
	// ------------------------------------------------------------ accounts and platform
	'token.list': { method: 'GET', path: '/api/access-tokens' },
	'token.issue': { method: 'POST', path: '/api/access-tokens', body: {} },
	'token.revoke': { method: 'DELETE', path: '/api/access-tokens/999999' },
	'sign-in-lock.read': { method: 'GET', path: '/api/sign-in-locks' },
	'sign-in-lock.clear': { method: 'POST', path: '/api/sign-in-locks/unlock', body: {} },
	'calendar.load': { method: 'PUT', path: '/api/work-calendar', body: {} },

	'calendar.read': { method: 'GET', path: '/api/work-calendar' },

	// ------------------------------------------------------------ areas, ownership, rosters
	'area-issue.list': { method: 'GET', path: '/api/areas/community/NOPE/issues' },
	'area-figure.read': { method: 'GET', path: '/api/areas/community/NOPE/overlays' },
	'choropleth.read': { method: 'GET', path: '/api/choropleth?level=grid&metric=issues_per_100_households' },
	'coverage-report.read': { method: 'GET', path: '/api/coverage', refusal: 'the coverage report is for admin, planner and housing roles' },
	'person.read': { method: 'GET', path: '/api/people/NOPE' },
	'roster.edit': {
		method: 'POST',
		path: '/api/assignments',
		body: { person_code: 'NOPE', role: 'grid_worker', target_code: 'NOPE', reason: 'probe' },
		refusal: 'may not change assignments'
	},
	'boundary.apply': {
		method: 'POST',
		path: '/api/boundaries/apply',
		body: { level: 'grid', code: 'NOPE', effective_date: '2026-01-01', reason: 'probe', geometry: { type: 'Polygon', coordinates: [[[105.8, 28.8], [105.801, 28.8], [105.801, 28.801], [105.8, 28.8]]] } },
		// the outline is read first; a role that may change no roster is refused as the roster refuses it
		refusal: 'may not change'
	},

	// ------------------------------------------------------------ renovation
	'renovation.read': { method: 'GET', path: '/api/renovation' },
	'renovation.create': { method: 'POST', path: '/api/renovation', body: {} },
	'renovation.edit': { method: 'PATCH', path: '/api/renovation/NOPE', body: {} },
	'renovation.photo': { method: 'POST', path: '/api/renovation/NOPE/photos?phase=before' },

	// ------------------------------------------------------------ flood and rain alerts
	'flood.read': { method: 'GET', path: '/api/flood' },
	'flood.create': { method: 'POST', path: '/api/flood', body: {} },
	'flood.edit': { method: 'PATCH', path: '/api/flood/NOPE', body: {} },
	'flood-incident.add': { method: 'POST', path: '/api/flood/NOPE/incidents', body: {} },
	'rain-alert.read': { method: 'GET', path: '/api/rain-alerts' },
	'rain-alert.switch': { method: 'POST', path: '/api/rain-alerts', body: {} },
	'rain-alert.preview': { method: 'POST', path: '/api/rain-alerts/preview', body: {} },
	'rain-alert.end': { method: 'POST', path: '/api/rain-alerts/999999/end', body: {} },
	'rain-alert.check': { method: 'POST', path: '/api/rain-alerts/999999/checks', body: {} },

	// ------------------------------------------------------------ field work
	'visit.record': { method: 'POST', path: '/api/visits', body: {} },
	'visit.read': { method: 'GET', path: '/api/visits' },
	'visit-coverage.read': { method: 'GET', path: '/api/visits/coverage' },
	'visit-photo.read': { method: 'GET', path: '/api/visits/NOPE/photos/1' },
	'placement.check': { method: 'GET', path: '/api/me/placement?lng=105.83&lat=28.81' },
	'my-building.read': { method: 'GET', path: '/api/me/buildings' },
	'offline-pack.take': { method: 'GET', path: '/api/me/offline' },
	'field-mode.use': { method: 'GET', path: '/__data.json', ui: true },

	// ------------------------------------------------------------ governance
	'department.read': { method: 'GET', path: '/api/departments' },
	'liaison.change': { method: 'POST', path: '/api/departments/NOPE/liaisons', body: {} },
	'party-member.read': { method: 'GET', path: '/api/party-members' },
	'party-member.register': { method: 'POST', path: '/api/party-members', body: {} },
	'party-member.change': { method: 'PATCH', path: '/api/party-members/999999', body: {} },
	'service-item.read': { method: 'GET', path: '/api/service-items' },
	'service-item.post': { method: 'POST', path: '/api/service-items', body: {} },
	'service-item.claim': { method: 'POST', path: '/api/service-items/999999/claims', body: {} },
	'service.record': { method: 'PATCH', path: '/api/service-claims/999999', body: {} },
	'dual-reporting.read': { method: 'GET', path: '/api/dual-reporting' },
	'resource.read': { method: 'GET', path: '/api/resources' },
	'resource.add': { method: 'POST', path: '/api/resources', body: {} },
	'demand.read': { method: 'GET', path: '/api/demands' },
	'demand.record': { method: 'POST', path: '/api/demands', body: {} },
	'demand.match': { method: 'GET', path: '/api/demands/999999/matches' },
	'service-project.read': { method: 'GET', path: '/api/service-projects' },
	'service-project.agree': { method: 'POST', path: '/api/service-projects', body: {} },
	'service-project.update': { method: 'PATCH', path: '/api/service-projects/999999', body: {} },
	'three-ones.read': { method: 'GET', path: '/api/three-ones' },
	'three-ones.record': { method: 'POST', path: '/api/three-ones', body: {} },
	'meeting.read': { method: 'GET', path: '/api/meetings/999999' },
	'meeting.record': { method: 'POST', path: '/api/meetings', body: {} },
	'matter.to-case': { method: 'POST', path: '/api/meetings/999999/matters/1/case', body: {} },
	'evaluation.read': { method: 'GET', path: '/api/evaluation' },
	'evaluation.write': { method: 'PUT', path: '/api/evaluation/departments/NOPE', body: {} },
	'evaluation.score': { method: 'PUT', path: '/api/evaluation/communities/NOPE', body: { year: 2026, county_score: 90 }, refusal: 'account may not' },
	'dashboard.read': { method: 'GET', path: '/api/dashboard' },

	// ------------------------------------------------------------ pages only
	'case.resolve-on-site': { method: 'GET', path: '/__data.json', ui: true },
	'visit.resolve-on-site': { method: 'GET', path: '/__data.json', ui: true },
	'nav.dashboard': { method: 'GET', path: '/__data.json', ui: true },
	'nav.renovation': { method: 'GET', path: '/__data.json', ui: true },

	// ------------------------------------------------------------ interfaces
	'offline-tiles.fetch': { method: 'GET', path: '/offline/nope.pmtiles' },

	// ------------------------------------------------------------ cases
	'case.report': { method: 'POST', path: '/api/cases', body: {} },
	'case.read': { method: 'GET', path: '/api/cases/{case}' },
	'case.transition': { method: 'POST', path: '/api/cases/I99999999/transitions', body: {} },
	'case.acknowledge': { method: 'POST', path: '/api/cases/I99999999/acknowledge', body: {} },
	// the rating is read before the caller's reach is known (a resident rates by token); a holder rates a resolved case of theirs
	'case.rate': { method: 'POST', path: '/api/cases/{resolved}/rating', body: { rating: 5 }, refusal: 'a rating by call is entered by the grid worker or community of the case' },
	'case.worklist.read': { method: 'GET', path: '/api/cases' },
	'case.export': { method: 'GET', path: '/api/cases.csv' },
	'case-photo.read': { method: 'GET', path: '/api/cases/I99999999/photos/1' },
	'case-category.read': { method: 'GET', path: '/api/case-categories' },
	'case-category.edit': { method: 'PUT', path: '/api/case-categories/no-such-category', body: {} },
	'case-time-limit.read': { method: 'GET', path: '/api/case-time-limits' },
	'case-time-limit.edit': { method: 'PUT', path: '/api/case-time-limits', body: {} },
	'case-ack-limit.edit': { method: 'PUT', path: '/api/departments/no-such-department/ack-limit', body: {} },
	'case-settings.edit': { method: 'GET', path: '/admin/cases', page: true },
	'api-key.list': { method: 'GET', path: '/api/open311-keys' },
	'api-key.issue': { method: 'POST', path: '/api/open311-keys', body: {} },
	'api-key.revoke': { method: 'POST', path: '/api/open311-keys/999999/revoke', body: {} }
};
