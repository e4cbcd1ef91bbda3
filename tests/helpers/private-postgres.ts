/**
 * A PostgreSQL server of one test's own, for fault tests that stop and restart it: the
 * shared test server cannot be restarted under the other test files. Made with the binaries
 * of the installed PostgreSQL (initdb, pg_ctl) in a temporary folder, on a free port, as the
 * `postgres` user when the tests run as root (initdb refuses root). Quick to make: no fsync.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server.js';

export interface PrivatePostgres {
	url: string;
	/** pg_ctl restart -m fast: every connection is cut, the server comes back */
	restart(): void;
	stop(): void;
	start(): void;
	/** stops the server and removes its folder */
	destroy(): void;
}

function bin(name: string): string {
	const majors = fs.readdirSync('/usr/lib/postgresql').map(Number).filter((n) => n > 0).sort((a, b) => b - a);
	return path.join('/usr/lib/postgresql', String(majors[0]), 'bin', name);
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
	const root = process.getuid?.() === 0;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-pg-'));
	if (root) execFileSync('chown', ['postgres:postgres', dir]);
	const asOwner = (file: string, args: string[]) =>
		root ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' }) : execFileSync(file, args, { stdio: 'pipe' });
	const data = path.join(dir, 'data');
	asOwner(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
	const port = await freePort();
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	const ctl = (...args: string[]) => asOwner(bin('pg_ctl'), ['-D', data, '-w', '-t', '30', '-l', path.join(dir, 'log'), ...args]);
	ctl('-o', options, 'start');
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		restart: () => ctl('-m', 'fast', '-o', options, 'restart'),
		stop: () => ctl('-m', 'fast', 'stop'),
		start: () => ctl('-o', options, 'start'),
		destroy() {
			try {
				ctl('-m', 'immediate', 'stop');
			} catch {
				// already stopped
			}
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
