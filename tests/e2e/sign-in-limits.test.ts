/**
 * Sign-in limits against the real server on PostGIS (issue "Close the leaks", point 5): a
 * stranger cannot lock out the county. Two server processes share one database, as several
 * app processes would: `direct` counts every client by its TCP address (all of them 127.0.0.1
 * here, as behind a proxy nobody configured), `proxied` has ADDRESS_HEADER=x-forwarded-for.
 *
 * Waits are never timed: a test that needs time to pass moves the recorded failures back
 * instead (the waits run from the database's now()).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let t: TestDatabase;
let direct: RunningServer;
let proxied: RunningServer;

beforeAll(async () => {
	t = await createTestDatabase('sample');
	[direct, proxied] = await Promise.all([startServer({ DATABASE_URL: t.url }), startServer({ DATABASE_URL: t.url, ADDRESS_HEADER: 'x-forwarded-for' })]);
}, 300_000);

afterAll(async () => {
	await direct?.stop();
	await proxied?.stop();
	await t?.drop();
});

interface Answer {
	status: number;
	body: { message: string; retry_at?: string; retry_after?: number; user?: { username: string } };
	retryAfterHeader: string | null;
	/** name=value of each cookie set */
	cookies: Record<string, string>;
	/** the whole Set-Cookie line of each cookie */
	setCookie: Record<string, string>;
}

async function signIn(server: RunningServer, username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
	const res = await fetch(`${server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify({ username, password })
	});
	const cookies: Record<string, string> = {};
	const setCookie: Record<string, string> = {};
	for (const line of res.headers.getSetCookie()) {
		const pair = line.split(';')[0];
		const name = pair.slice(0, pair.indexOf('='));
		cookies[name] = pair;
		setCookie[name] = line;
	}
	return { status: res.status, body: await res.json(), retryAfterHeader: res.headers.get('retry-after'), cookies, setCookie };
}

const from = (address: string) => ({ 'x-forwarded-for': address });

async function auditRows(entity: string, action: string): Promise<{ actor: string; detail: Record<string, unknown> }[]> {
	return t.db.knex('audit_log').where({ entity, action }).orderBy('id').select('actor', 'detail');
}

describe('a stranger cannot lock out the county', () => {
	it("a stranger's 50+ failures from everyone's address do not stop demo-grid on the browser it signed in with", async () => {
		// demo-grid signs in on its usual browser: the answer trusts that browser from now on.
		const first = await signIn(direct, 'demo-grid', 'demo');
		expect(first.status).toBe(200);
		expect(first.setCookie.device).toMatch(/^device=[A-Za-z0-9_-]{43}; Path=\/api\/session; Max-Age=31536000; HttpOnly; SameSite=Strict$/);
		const device = first.cookies.device;

		// A stranger at the same address (every user is, behind a proxy without ADDRESS_HEADER)
		// guesses demo-grid's password, then sprays one password over many usernames.
		const guesses = [];
		for (let i = 0; i < 6; i++) guesses.push((await signIn(direct, 'demo-grid', `guess-${i}`)).status);
		expect(guesses).toEqual([401, 401, 401, 401, 401, 429]);
		const sprayed = [];
		for (let i = 0; i < 50; i++) sprayed.push((await signIn(direct, `sprayed-${i}`, 'Winter2026!')).status);
		// Five failures on demo-grid and 45 here make the address's fifty: from then on untrusted attempts wait.
		expect(sprayed.filter((s) => s === 401)).toHaveLength(45);
		expect(sprayed.slice(45).every((s) => s === 429)).toBe(true);
		expect(await t.db.knex('sign_in_failures').where({ address: '127.0.0.1' }).whereNull('device_id').count({ n: '*' })).toEqual([{ n: '50' }]);

		// A browser that never signed in waits, whoever it is…
		expect((await signIn(direct, 'demo-grid', 'demo')).status).toBe(429);
		expect((await signIn(direct, 'demo-planner', 'demo')).status).toBe(429);
		// …but demo-grid's own browser is counted by its device alone, and signs in.
		const usual = await signIn(direct, 'demo-grid', 'demo', { cookie: device });
		expect(usual.status).toBe(200);
		expect(usual.body.user?.username).toBe('demo-grid');
		// The same browser keeps the same device token.
		expect(usual.cookies.device).toBe(device);
		const me = await (await fetch(`${direct.url}/api/session`, { headers: { cookie: usual.cookies.session } })).json();
		expect(me.user.username).toBe('demo-grid');
		const signIns = await t.db.knex('audit_log').where({ action: 'sign_in', actor: 'demo-grid' }).orderBy('id').select('detail');
		expect(signIns.map((r) => r.detail.trusted_device)).toEqual([false, true]);

		// A device cookie is bound to its account: it does not let another username past the wait.
		expect((await signIn(direct, 'demo-planner', 'demo', { cookie: device })).status).toBe(429);
	});

	it('an admin unlocks the shared address, and the users behind it sign in again', async () => {
		const admin = await signIn(proxied, 'demo-admin', 'demo', from('198.51.100.99'));
		expect(admin.status).toBe(200);
		const locks = await (await fetch(`${direct.url}/api/sign-in-locks`, { headers: { cookie: admin.cookies.session } })).json();
		const shared = locks.addresses.find((a: { address: string }) => a.address === '127.0.0.1');
		expect(shared).toMatchObject({ failures: 50, usernames: 46 });
		expect(Date.parse(shared.locked_until)).toBeGreaterThan(Date.parse(locks.now));

		const unlock = await fetch(`${direct.url}/api/sign-in-locks/unlock`, {
			method: 'POST',
			headers: { cookie: admin.cookies.session, 'content-type': 'application/json' },
			body: JSON.stringify({ address: '127.0.0.1' })
		});
		expect(unlock.status).toBe(200);
		expect(await unlock.json()).toEqual({ address: '127.0.0.1', cleared: 50 });
		expect(await auditRows('address:127.0.0.1', 'unlock_sign_in')).toEqual([{ actor: 'demo-admin', detail: { cleared: 50 } }]);
		expect((await signIn(direct, 'demo-planner', 'demo')).status).toBe(200);
	});
});

describe('the client address through a configured proxy header', () => {
	it('with ADDRESS_HEADER=x-forwarded-for, failures from one forwarded address do not slow another', async () => {
		const statuses = [];
		let refused: Answer | undefined;
		for (let i = 0; i < 6; i++) {
			const answer = await signIn(proxied, 'demo-housing', `guess-${i}`, from('203.0.113.10'));
			statuses.push(answer.status);
			refused = answer;
		}
		expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
		// The refusal says until when, as a clock time and in seconds, and in Retry-After.
		expect(refused!.body.message).toMatch(/^too many failed sign-ins; try again after \d\d:\d\d China time \(UTC\+8\), in \d+ s$/);
		expect(refused!.retryAfterHeader).toBe(String(refused!.body.retry_after));
		expect(Date.parse(refused!.body.retry_at!)).toBeGreaterThan(Date.now() - 60_000);

		// Another client behind the same proxy signs in at once.
		expect((await signIn(proxied, 'demo-housing', 'demo', from('203.0.113.20'))).status).toBe(200);
		// What a client writes at the left of X-Forwarded-For is not its address: the proxy's entry (the last) is.
		expect((await signIn(proxied, 'demo-housing', 'demo', from('203.0.113.10, 203.0.113.21'))).status).toBe(200);

		// The failures are recorded under the forwarded address, each with an audit row.
		const failures = await auditRows('account:demo-housing', 'sign_in_failed');
		expect(failures).toEqual(Array(5).fill({ actor: 'anonymous', detail: { address: '203.0.113.10', trusted_device: false } }));
		// A configured proxy gives no warning.
		expect(proxied.output()).not.toMatch(/ADDRESS_HEADER is not set/);
	});

	it('warns once, at the first request from a proxy, when no ADDRESS_HEADER is configured', async () => {
		for (let i = 0; i < 2; i++) expect((await fetch(`${direct.url}/api/health`, { headers: from(`203.0.113.${40 + i}`) })).status).toBe(200);
		const warnings = direct.output().match(/ADDRESS_HEADER is not set, so every client is counted as the proxy's address 127\.0\.0\.1/g);
		expect(warnings).toHaveLength(1);
	});
});

describe('waits that grow, and an admin who unlocks', () => {
	it('each failure beyond the fifth waits longer, a 429 says until when; after an admin unlocks, the user signs in at once', async () => {
		const client = from('198.51.100.7');
		const fails: Answer[] = [];
		for (let i = 0; i < 5; i++) fails.push(await signIn(proxied, 'demo-building', `guess-${i}`, client));
		expect(fails.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
		// The fifth failure says the next attempt waits.
		expect(fails.slice(0, 4).every((a) => a.body.retry_at === undefined)).toBe(true);
		const waits = [fails[4].body.retry_after!];
		const early = await signIn(proxied, 'demo-building', 'demo', client);
		expect(early.status).toBe(429);
		expect(early.body.retry_at).toBe(fails[4].body.retry_at);

		// Time passes (the recorded failures move back past the wait) and the next two guesses fail too.
		for (let i = 0; i < 2; i++) {
			await t.db.knex.raw(`UPDATE sign_in_failures SET at = at - make_interval(secs => :s) WHERE username = 'demo-building'`, { s: waits.at(-1)! + 1 });
			const answer = await signIn(proxied, 'demo-building', `late-guess-${i}`, client);
			expect(answer.status).toBe(401);
			waits.push(answer.body.retry_after!);
		}
		// Each wait is longer than the one before, and none is the old flat refusal of 15 minutes.
		expect(waits[1]).toBeGreaterThan(waits[0]);
		expect(waits[2]).toBeGreaterThan(waits[1]);
		expect(waits[2]).toBeLessThan(900);
		expect((await signIn(proxied, 'demo-building', 'demo', client)).status).toBe(429);

		const admin = (await signIn(proxied, 'demo-admin', 'demo', from('198.51.100.99'))).cookies.session;
		const locks = await (await fetch(`${proxied.url}/api/sign-in-locks`, { headers: { cookie: admin } })).json();
		const locked = locks.accounts.find((a: { username: string }) => a.username === 'demo-building');
		expect(locked).toMatchObject({ role: 'building_head', failures: 7, addresses: [{ address: '198.51.100.7', failures: 7 }] });
		expect(Date.parse(locked.locked_until)).toBeGreaterThan(Date.parse(locks.now));
		// Locked accounts come first.
		const isLocked = locks.accounts.map((a: { locked_until: string | null }) => a.locked_until !== null);
		expect(isLocked).toEqual([...isLocked].sort((a, b) => Number(b) - Number(a)));

		const unlock = await fetch(`${proxied.url}/api/sign-in-locks/unlock`, {
			method: 'POST',
			headers: { cookie: admin, 'content-type': 'application/json' },
			body: JSON.stringify({ username: 'demo-building' })
		});
		expect(unlock.status).toBe(200);
		expect(await unlock.json()).toEqual({ username: 'demo-building', cleared: 7 });
		const signedIn = await signIn(proxied, 'demo-building', 'demo', client);
		expect(signedIn.status).toBe(200);
		expect(signedIn.body.user?.username).toBe('demo-building');

		// The audit trail: seven failures, a lock for each failure from the fifth on, the unlock, the sign-in.
		expect(await auditRows('account:demo-building', 'sign_in_failed')).toHaveLength(7);
		const lockRows = await auditRows('account:demo-building', 'sign_in_locked');
		expect(lockRows.map((r) => [r.actor, r.detail.address, r.detail.counted])).toEqual(Array(3).fill(['system', '198.51.100.7', ['account_address']]));
		expect(await auditRows('account:demo-building', 'unlock_sign_in')).toEqual([{ actor: 'demo-admin', detail: { cleared: 7 } }]);
		expect(await t.db.knex('audit_log').where({ action: 'sign_in', actor: 'demo-building' }).count({ n: '*' })).toEqual([{ n: '1' }]);
		const after = await (await fetch(`${proxied.url}/api/sign-in-locks`, { headers: { cookie: admin } })).json();
		expect(after.accounts.find((a: { username: string }) => a.username === 'demo-building')).toMatchObject({ failures: 0, locked_until: null, addresses: [] });
	});

	it('concurrent guesses each count: five fail, the rest wait', async () => {
		const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(proxied, 'demo-department', `burst-${i}`, from('192.0.2.50'))));
		const statuses = answers.map((a) => a.status);
		expect(statuses.filter((s) => s === 401)).toHaveLength(5);
		expect(statuses.filter((s) => s === 429)).toHaveLength(15);
		expect(await t.db.knex('sign_in_failures').where({ username: 'demo-department' }).count({ n: '*' })).toEqual([{ n: '5' }]);
	});

	it('only an admin unlocks; a bad request names what is wrong and writes nothing', async () => {
		const planner = (await signIn(proxied, 'demo-planner', 'demo', from('198.51.100.98'))).cookies.session;
		const admin = (await signIn(proxied, 'demo-admin', 'demo', from('198.51.100.99'))).cookies.session;
		const before = await t.db.knex('audit_log').count({ n: '*' });
		const unlock = (cookie: string | null, body: string) =>
			fetch(`${proxied.url}/api/sign-in-locks/unlock`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body });
		expect((await unlock(null, '{"username": "demo-department"}')).status).toBe(401);
		expect((await unlock(planner, '{"username": "demo-department"}')).status).toBe(403);
		expect((await fetch(`${proxied.url}/api/sign-in-locks`, { headers: { cookie: planner } })).status).toBe(403);
		for (const [body, status, message] of [
			['{}', 400, /^name either username or address to unlock/],
			['{"username": "demo-department", "address": "192.0.2.50"}', 400, /^name either username or address to unlock/],
			['{"username": 7}', 400, /^username must be a string$/],
			['{"address": "a\\u0000b"}', 400, /^address must not contain a NUL character$/],
			['{"username": "nobody-here"}', 404, /^no account 'nobody-here'$/]
		] as const) {
			const res = await unlock(admin, body);
			expect(res.status, body).toBe(status);
			expect((await res.json()).message, body).toMatch(message);
		}
		expect(await t.db.knex('audit_log').count({ n: '*' })).toEqual(before);
		expect(await t.db.knex('sign_in_failures').where({ username: 'demo-department' }).count({ n: '*' })).toEqual([{ n: '5' }]);
	});
});
