/**
 * Finds a PostGIS server for the test suite, and on Debian/Ubuntu as root installs and
 * starts one when there is none: a fresh machine runs `npm test` with nothing set up.
 */
import fs from 'node:fs';
import { aptInstall, canApt, sh } from './apt.js';
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The password this script gives `postgres` on a server it installed itself (local only). */
const INSTALLED_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

type Probe = { reachable: false; reason: string } | { reachable: true; major: number; postgis: boolean };

async function probe(url: string): Promise<Probe> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		const { rows } = await client.query(
			`SELECT current_setting('server_version_num')::int / 10000 AS major,
			        EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS postgis`
		);
		return { reachable: true, major: rows[0].major, postgis: rows[0].postgis };
	} catch (error) {
		return { reachable: false, reason: error instanceof Error ? error.message : String(error) };
	} finally {
		await client.end().catch(() => {});
	}
}


function installedMajors(): number[] {
	if (!fs.existsSync('/usr/lib/postgresql')) return [];
	return fs
		.readdirSync('/usr/lib/postgresql')
		.map(Number)
		.filter((n) => n > 0)
		.sort((a, b) => b - a);
}

function missing(url: string, why: string): Error {
	return new Error(
		`No PostGIS server for the tests at ${url.replace(/:[^:@/]+@/, ':***@')}: ${why}.\n` +
			'Install PostgreSQL ≥ 15 with PostGIS ≥ 3.3 (Debian/Ubuntu: apt install postgresql postgresql-15-postgis-3)\n' +
			'or set TEST_DATABASE_URL to a server whose user may create databases.'
	);
}

/** Returns a URL of a reachable server with PostGIS available, installing one if it must. */
export async function ensurePostgis(log: (m: string) => void = console.log): Promise<string> {
	const explicit = process.env.TEST_DATABASE_URL;
	const candidates = explicit ? [explicit] : [DEFAULT_URL, INSTALLED_URL];
	let last: Probe = { reachable: false, reason: 'not tried' };
	for (const url of candidates) {
		last = await probe(url);
		if (last.reachable && last.postgis) return url;
		if (last.reachable) {
			if (!canApt()) throw missing(url, 'the server has no postgis extension');
			aptInstall([`postgresql-${last.major}-postgis-3`], log);
			const again = await probe(url);
			if (again.reachable && again.postgis) return url;
			throw missing(url, 'installing PostGIS did not make the extension available');
		}
	}
	if (explicit) throw missing(explicit, (last as { reason: string }).reason);
	if (!canApt()) throw missing(DEFAULT_URL, (last as { reason: string }).reason);

	log('No PostgreSQL server found: installing PostgreSQL and PostGIS from Debian packages');
	if (!installedMajors().length) aptInstall(['postgresql'], log);
	const major = installedMajors()[0];
	if (!major) throw missing(DEFAULT_URL, 'installing postgresql gave no server');
	aptInstall([`postgresql-${major}-postgis-3`], log);
	if (!fs.existsSync(`/etc/postgresql/${major}/main`)) {
		sh('pg_createcluster', [String(major), 'main'], log);
	}
	sh('pg_ctlcluster', ['--skip-systemctl-redirect', String(major), 'main', 'start'], log);
	// Debian's default pg_hba wants a password over TCP; give the superuser a local-only one.
	sh('su', ['postgres', '-c', `psql -q -c "ALTER USER postgres PASSWORD 'postgres'"`], log);
	for (const url of [DEFAULT_URL, INSTALLED_URL]) {
		const p = await probe(url);
		if (p.reachable && p.postgis) return url;
	}
	throw missing(INSTALLED_URL, 'the server installed here did not answer');
}
