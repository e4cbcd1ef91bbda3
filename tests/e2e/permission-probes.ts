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
