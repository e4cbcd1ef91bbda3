/**
 * Recently read sessions are kept for a few seconds by each server process
 * (src/lib/server/accounts/session-cache.ts), and ended everywhere at once (issue 22, point 9):
 * two server processes share one database, as several app processes would. Each test has the
 * second process read the session first, so it holds it; what changes then happens through the
 * first process or straight in the database, and the second must see it on its very next request.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CACHE_MS } from '../../src/lib/server/accounts/session-cache.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let t: TestDatabase;
let first: RunningServer;
let second: RunningServer;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	[first, second] = await Promise.all([startServer({ DATABASE_URL: t.url }), startServer({ DATABASE_URL: t.url })]);
}, 300_000);

afterAll(async () => {
	await first?.stop();
	await second?.stop();
	await t?.drop();
});

/** Signs in on a server: the session cookie (name=value). */
async function signIn(server: RunningServer, username: string): Promise<string> {
	const res = await fetch(`${server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: 'demo' })
	});
	expect(res.status).toBe(200);
	const cookie = res.headers.getSetCookie().find((line) => line.startsWith('session='));
	return cookie!.split(';')[0];
}

/**
 * Who a server says the cookie's holder is once `expected` holds, asking again for up to 2 s.
 * A change made straight in the database reaches the servers as a NOTIFY, which travels
 * beside the test's own request (milliseconds on a loaded machine): 2 s is still far inside
 * the SESSION_CACHE_MS a kept session would otherwise last, so only the news can end it.
 */
async function whoIsSoon(server: RunningServer, cookie: string, expected: unknown): Promise<unknown> {
	const deadline = Date.now() + 2_000;
	let answer: unknown;
	while (!isDeepStrictEqual((answer = await whoIs(server, cookie)), expected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
	return answer;
}

/** Who a server says the cookie's holder is. */
async function whoIs(server: RunningServer, cookie: string): Promise<{ username: string; role: string } | null> {
	const res = await fetch(`${server.url}/api/session`, { headers: { cookie } });
	expect(res.status).toBe(200);
	return (await res.json()).user;
}

describe('a session ended anywhere is ended in every process at once', () => {
	it('a kept session would outlast the waits below', () => {
		expect(SESSION_CACHE_MS).toBeGreaterThanOrEqual(5_000);
	});

	it('signed out on one server: the other, which holds the session, refuses it on the next request', async () => {
		const cookie = await signIn(first, 'demo-planner');
		// The second process reads the session, twice: the second answer comes from its cache.
		expect(await whoIs(second, cookie)).toEqual({ username: 'demo-planner', role: 'planner' });
		expect(await whoIs(second, cookie)).toEqual({ username: 'demo-planner', role: 'planner' });
		// An endpoint reads the same session: a planner is refused as a planner (403), not as nobody.
		expect((await fetch(`${second.url}/api/access-tokens`, { headers: { cookie } })).status).toBe(403);
		const out = await fetch(`${first.url}/api/session`, { method: 'DELETE', headers: { cookie } });
		expect(out.status).toBe(204);
		expect(await whoIs(second, cookie)).toBeNull();
		expect(await whoIs(first, cookie)).toBeNull();
		// Any endpoint: now the caller is nobody (401).
		expect((await fetch(`${second.url}/api/access-tokens`, { headers: { cookie } })).status).toBe(401);
	});

	it('an account disabled in the database: both servers refuse its sessions as soon as the news arrives', async () => {
		const cookie = await signIn(first, 'demo-housing');
		expect(await whoIs(second, cookie)).toEqual({ username: 'demo-housing', role: 'housing' });
		expect(await whoIs(first, cookie)).toEqual({ username: 'demo-housing', role: 'housing' });
		await t.db.knex('users').where({ username: 'demo-housing' }).update({ disabled: true });
		try {
			expect(await whoIsSoon(second, cookie, null)).toBeNull();
			expect(await whoIsSoon(first, cookie, null)).toBeNull();
		} finally {
			await t.db.knex('users').where({ username: 'demo-housing' }).update({ disabled: false });
		}
		// Enabled again, the session (not expired, not signed out) is the account's again.
		expect(await whoIsSoon(second, cookie, { username: 'demo-housing', role: 'housing' })).toEqual({ username: 'demo-housing', role: 'housing' });
	});

	it('a role changed in the database: the servers act with the new role as soon as the news arrives', async () => {
		const cookie = await signIn(first, 'demo-department');
		expect(await whoIs(second, cookie)).toEqual({ username: 'demo-department', role: 'department' });
		await t.db.knex('users').where({ username: 'demo-department' }).update({ role: 'housing' });
		try {
			expect(await whoIsSoon(second, cookie, { username: 'demo-department', role: 'housing' })).toEqual({ username: 'demo-department', role: 'housing' });
		} finally {
			await t.db.knex('users').where({ username: 'demo-department' }).update({ role: 'department' });
		}
		expect(await whoIsSoon(second, cookie, { username: 'demo-department', role: 'department' })).toEqual({ username: 'demo-department', role: 'department' });
	});
});
