/**
 * The embedded database killed under writes (issue 8): the server on PGlite is sent SIGKILL
 * while it assigns roles one after another; started again on the same data folder, it holds
 * every assignment it acknowledged, and each with its audit row — nothing acknowledged is
 * lost, nothing is half written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../helpers/server.js';
import { openDatabase } from '../../src/lib/server/db.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-kill-embedded-'));
let server: RunningServer | undefined;

afterAll(async () => {
	await server?.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(s: RunningServer): Promise<string> {
	const res = await fetch(`${s.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-admin', password: 'demo' }) });
	expect(res.status).toBe(200);
	return res.headers.get('set-cookie')!.split(';')[0];
}

describe('the embedded database killed mid-write', () => {
	it('keeps every acknowledged write, whole', async () => {
		server = await startServer({ DATA_DIR: dataDir }, 180_000);
		const cookie = await signIn(server);
		const people = await (await fetch(`${server.url}/api/search?q=P00&limit=50`, { headers: { cookie } })).json();
		const codes: string[] = people.results.filter((r: { kind: string }) => r.kind === 'person').map((r: { code: string }) => r.code);
		const { results: buildings } = await (await fetch(`${server.url}/api/search?q=B00&limit=50`, { headers: { cookie } })).json();
		const building = buildings.find((r: { kind: string }) => r.kind === 'building').code;
		expect(codes.length).toBeGreaterThan(10);

		// Writes one after another until the kill; each acknowledged one is remembered.
		const acknowledged: { id: number; person: string }[] = [];
		let killed = false;
		const writing = (async () => {
			for (let i = 0; !killed; i++) {
				const person = codes[i % codes.length];
				try {
					const res = await fetch(`${server!.url}/api/assignments`, {
						method: 'POST',
						headers: { cookie, 'content-type': 'application/json' },
						body: JSON.stringify({ person_code: person, role: 'registered_party_member', target_code: building, reason: `kill test ${i}` })
					});
					if (res.status === 201) acknowledged.push({ id: (await res.json()).id, person });
				} catch {
					return; // the server is gone
				}
			}
		})();
		while (acknowledged.length < 8) await new Promise((r) => setTimeout(r, 20));
		killed = true;
		server.kill();
		await writing;
		await server.stop();

		server = await startServer({ DATA_DIR: dataDir }, 180_000);
		const again = await signIn(server);
		for (const { id, person } of acknowledged) {
			const record = await (await fetch(`${server.url}/api/people/${person}`, { headers: { cookie: again } })).json();
			expect(record.assignments.map((a: { id: number }) => a.id), `assignment ${id} of ${person}`).toContain(id);
		}
		await server.stop();
		server = undefined;

		// Whole: every assignment the test wrote has its audit row, and every audit row its assignment.
		const db = await openDatabase({ dataDir });
		try {
			const { rows } = await db.knex.raw(`SELECT
				(SELECT count(*)::int FROM assignments WHERE reason LIKE 'kill test %') AS assignments,
				(SELECT count(*)::int FROM audit_log WHERE action = 'assign' AND detail->>'reason' LIKE 'kill test %') AS audits,
				(SELECT count(*)::int FROM assignments a WHERE a.reason LIKE 'kill test %'
				   AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'assign' AND (l.detail->>'id')::int = a.id)) AS without_audit`);
			expect(rows[0].assignments).toBeGreaterThanOrEqual(acknowledged.length);
			expect(rows[0].audits).toBe(rows[0].assignments);
			expect(rows[0].without_audit).toBe(0);
		} finally {
			await db.close();
		}
	}, 400_000);
});
