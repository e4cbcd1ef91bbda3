/**
 * The access matrix generated from the permission table (src/lib/server/accounts/permissions.ts):
 * every capability × every role and the anonymous caller, over HTTP against the real server.
 *
 * Each capability has a probe: a request that exercises it. A holder of the capability gets
 * past the permission check — its answer is neither 401 nor 403 — and a caller without it is
 * refused with 401 (not signed in) or 403, naming what the table says the capability allows.
 * Probes of writes send a body the endpoint refuses after the check (an empty object, an
 * unknown code), so the matrix writes nothing and its cells do not depend on each other.
 * Where the reach is narrower than `any`, the data-centric matrix (access.test.ts) proves
 * inside versus outside; here a territory holder is probed on a target inside its territory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { CAPABILITIES, PERMISSIONS, type Capability, type Holder } from '../../src/lib/server/accounts/permissions.js';
import { USER_ROLES } from '../../src/lib/server/accounts/accounts.js';
import { DEMO_USERNAMES } from '../../db/seeds/demo-accounts.js';
import { PROBES } from './permission-probes.js';
import { TERRITORY_SQL } from '../helpers/territories.js';

const HOLDERS: Holder[] = ['anonymous', ...USER_ROLES];

let t: TestDatabase;
let server: RunningServer;
const cookies: Partial<Record<Holder, string>> = {};
/** per caller, the values of the probes' placeholders */
const places: Partial<Record<Holder, Record<string, string>>> = {};

/** A case code for the caller: inside its territory where it has one, with the given statuses. */
async function caseFor(holder: Holder, statuses: string[]): Promise<string> {
	const territory = holder !== 'anonymous' ? TERRITORY_SQL[holder] : undefined;
	const where = territory ? `AND ST_Covers((${territory}), i.geom)` : '';
	const { rows } = await t.db.knex.raw(`SELECT i.code FROM issues i WHERE i.status = ANY(:statuses) ${where} ORDER BY i.code LIMIT 1`, {
		statuses,
		u: holder === 'anonymous' ? '' : DEMO_USERNAMES[holder]
	});
	return rows[0]?.code ?? 'I99999999';
}

beforeAll(async () => {
	t = await createTestDatabase('sample');
	server = await startServer({ DATABASE_URL: t.url });
	for (const role of USER_ROLES) {
		const res = await fetch(`${server.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username: DEMO_USERNAMES[role], password: 'demo' })
		});
		expect(res.status, `${role}: ${await res.clone().text()}`).toBe(200);
		cookies[role] = res.headers.get('set-cookie')!.split(';')[0];
	}
	for (const holder of HOLDERS) {
		places[holder] = { '{case}': await caseFor(holder, ['reported', 'dispatched', 'registered', 'processing']), '{resolved}': await caseFor(holder, ['resolved', 'verified', 'closed']) };
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	await t?.drop();
});

describe('every capability has a probe', () => {
	it('and no probe names a capability the table lacks', () => {
		expect(Object.keys(PROBES).sort()).toEqual([...CAPABILITIES].sort());
	});
});

describe.each(CAPABILITIES.map((c) => [c] as [Capability]))('%s', (capability) => {
	const { what, holders } = PERMISSIONS[capability] as { what: string; holders: Partial<Record<Holder, string>> };
	it.each(HOLDERS.map((h) => [h] as [Holder]))(`as %s`, async (holder) => {
		const probe = PROBES[capability];
		const path = probe.path.replace(/\{\w+\}/g, (p) => places[holder]![p]);
		const res = await fetch(`${server.url}${path}`, {
			method: probe.method,
			redirect: 'manual',
			headers: {
				...(cookies[holder] ? { cookie: cookies[holder]! } : {}),
				...(probe.body !== undefined ? { 'content-type': 'application/json' } : {}),
				origin: server.url
			},
			body: probe.body !== undefined ? JSON.stringify(probe.body) : undefined
		});
		const text = await res.text();
		const said = `${holder} ${probe.method} ${path}: ${res.status} ${text.slice(0, 300)}`;
		if (probe.ui) {
			// The root layout's data (SvelteKit's __data.json, strings kept whole) lists what the caller holds.
			expect(res.status, said).toBe(200);
			expect(text.includes(JSON.stringify(capability)), said).toBe(Boolean(holders[holder]));
		} else if (holders[holder]) {
			expect([401, 403], `${holder} holds ${capability}; ${said}`).not.toContain(res.status);
			expect(res.status, said).toBeLessThan(500);
		} else if (probe.page) {
			expect(res.status, said).toBe(holder === 'anonymous' ? 303 : 403);
		} else {
			expect(res.status, said).toBe(holder === 'anonymous' ? 401 : 403);
			// The refusal names what the table says the capability allows (a 401 may instead say how else to get in).
			if (res.status === 403) expect(JSON.parse(text).message, said).toContain(probe.refusal ?? what);
		}
	});
});
