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
}

export const PROBES: Record<Capability, Probe> = {
	// ------------------------------------------------------------ accounts and platform
	'token.list': { method: 'GET', path: '/api/access-tokens' },
	'token.issue': { method: 'POST', path: '/api/access-tokens', body: {} },
	'token.revoke': { method: 'DELETE', path: '/api/access-tokens/999999' },
	'sign-in-lock.read': { method: 'GET', path: '/api/sign-in-locks' },
	'sign-in-lock.clear': { method: 'POST', path: '/api/sign-in-locks/unlock', body: {} },
	'calendar.load': { method: 'PUT', path: '/api/work-calendar', body: {} }
};
