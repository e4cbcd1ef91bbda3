/**
 * Calling a handler in process as a given user, the way endpoint() would: the Call built from
 * the user, their scope and the request's parts, a thrown error answered as endpoint() answers
 * it, the JSON body parsed. For integration tests of domain modules without an HTTP server.
 */
import type { User } from '../../src/lib/server/accounts/accounts.js';
import type { Database } from '../../src/lib/server/platform/db.js';
import { errorReply, type Call, type Handler } from '../../src/lib/server/http/endpoint.js';
import { scopeFor } from '../../src/lib/server/ownership/territory.js';

export interface Asked {
	params?: Record<string, string>;
	body?: unknown;
	method?: string;
	query?: string;
}

export async function callHandler(db: Database, user: User | null, handler: Handler, asked: Asked = {}): Promise<{ status: number; body: any }> {
	const { params = {}, body, method = 'GET', query = '' } = asked;
	const call: Call = {
		db,
		user,
		scope: await scopeFor(db.knex, user),
		method,
		path: '/api/test',
		params,
		query: new URLSearchParams(query),
		origin: 'http://localhost',
		secure: false,
		header: () => null,
		body: async () => Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
		clientAddress: '127.0.0.1'
	};
	let reply;
	try {
		reply = await handler(call);
	} catch (error) {
		reply = errorReply(error);
	}
	return { status: reply.status, body: reply.body ? JSON.parse(String(reply.body)) : null };
}
