/**
 * The statement recorder's two rules (src/lib/server/platform/sql-record.ts) — the shape a
 * statement is kept in and the concept that sent it — and the check of a run's recording
 * against queries/ (scripts/lib/statements-on-file.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { conceptOf, normalise } from '../../src/lib/server/platform/sql-record.js';
import { checkStatements, readOnFile } from '../../scripts/lib/statements-on-file.js';

describe('the shape of a statement', () => {
	it('collapses whitespace, writes parameters as ? and drops a final semicolon', () => {
		expect(normalise('SELECT a\n\t FROM t\n WHERE id = $1 AND b = $12;\n')).toBe('SELECT a FROM t WHERE id = ? AND b = ?');
	});

	it('makes an IN list of any length one shape', () => {
		expect(normalise('select * from "t" where "code" in ($1, $2, $3)')).toBe(normalise('select * from "t" where "code" in ($1)'));
		expect(normalise('select * from "t" where "code" in ($1, $2)')).toBe('select * from "t" where "code" in (?, ...)');
	});

	it('keeps the first row of a multi-row insert, nested parentheses and quotes included', () => {
		const one = 'insert into "t" ("a", "g") values ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326))';
		const three = `${one}, ($4, ST_SetSRID(ST_MakePoint($5, $6), 4326)), ($7, ST_SetSRID(ST_MakePoint($8, $9), 4326)) on conflict do nothing`;
		expect(normalise(three)).toBe(`${normalise(one)} on conflict do nothing`);
		expect(normalise(`INSERT INTO t (a) VALUES ('(x'), ('y)') RETURNING id`)).toBe(`INSERT INTO t (a) VALUES ('(x') RETURNING id`);
	});
});

describe('the concept that sent a statement', () => {
	const frame = (file: string, fn = 'f') => `    at ${fn} (/repo/${file}:10:5)`;
	const stack = (...frames: string[]) => ['Error', frame('node_modules/knex/lib/runner.js'), ...frames].join('\n');

	it('is the folder of the first app module on the stack, past the database plumbing and audit()', () => {
		expect(conceptOf(stack(frame('src/lib/server/platform/prepared.ts', 'run'), frame('src/lib/server/cases/cases.ts'), frame('src/lib/server/http/endpoint.ts')))).toBe('cases');
		expect(conceptOf(stack(frame('src/lib/server/platform/audit.ts', 'audit'), frame('src/lib/server/accounts/accounts.ts')))).toBe('accounts');
		expect(conceptOf(stack(frame('src/lib/server/platform/calendar.ts')))).toBe('platform');
	});

	it('is migrations or seeds when a migration, the migrator or the sample loader is on the stack', () => {
		expect(conceptOf(stack(frame('db/migrations/20261127_0110_create_county.ts', 'up')))).toBe('migrations');
		expect(conceptOf(stack(frame('node_modules/knex/lib/migrations/migrator.js'), '    at async migrate (/repo/src/lib/server/platform/db.ts:170:3)'))).toBe('migrations');
		expect(conceptOf(stack(frame('src/lib/server/areas/imports.ts'), frame('db/seeds/sample.ts', 'loadSample')))).toBe('seeds');
	});

	it('is none for a statement a test sends itself', () => {
		expect(conceptOf(stack(frame('tests/helpers/database.ts', 'tableCounts')))).toBeNull();
	});
});

describe('the check against queries/', () => {
	const dirs: string[] = [];
	const tmp = () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-sql-test-'));
		dirs.push(dir);
		return dir;
	};
	afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

	const recording = (lines: { concept: string; sql: string }[]) => {
		const dir = tmp();
		fs.writeFileSync(path.join(dir, '1-0.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
		return dir;
	};

	it('writes the files with UPDATE_QUERIES, leaving migrations and seeds out; then passes', () => {
		const files = tmp();
		const recorded = recording([
			{ concept: 'cases', sql: 'SELECT 2' },
			{ concept: 'cases', sql: 'SELECT 1' },
			{ concept: 'areas', sql: 'SELECT 3' },
			{ concept: 'migrations', sql: 'CREATE TABLE x ()' }
		]);
		expect(checkStatements(recorded, { full: true, update: true, dir: files }).ok).toBe(true);
		expect(fs.readdirSync(files).sort()).toEqual(['areas.sql', 'cases.sql']);
		expect(fs.readFileSync(path.join(files, 'cases.sql'), 'utf8')).toMatch(/\nSELECT 1;\nSELECT 2;\n$/);
		expect(checkStatements(recorded, { full: true, update: false, dir: files })).toMatchObject({ ok: true });
	});

	it('fails on a statement sent that is not on file, naming it and how to regenerate', () => {
		const files = tmp();
		checkStatements(recording([{ concept: 'cases', sql: 'SELECT a FROM t ORDER BY a' }]), { full: true, update: true, dir: files });
		const outcome = checkStatements(recording([{ concept: 'cases', sql: 'SELECT a FROM t ORDER BY a DESC' }]), { full: false, update: false, dir: files });
		expect(outcome.ok).toBe(false);
		expect(outcome.report).toContain('1 statements were sent that are not on file');
		expect(outcome.report).toContain('sent:    SELECT a FROM t ORDER BY a DESC');
		expect(outcome.report).toContain('UPDATE_QUERIES=1 npm test');
	});

	it('fails on a statement on file that was not sent only on a full run; a focused update only adds', () => {
		const files = tmp();
		checkStatements(recording([{ concept: 'cases', sql: 'SELECT 1' }, { concept: 'cases', sql: 'SELECT 2' }]), { full: true, update: true, dir: files });
		const fewer = recording([{ concept: 'cases', sql: 'SELECT 1' }]);
		expect(checkStatements(fewer, { full: false, update: false, dir: files }).ok).toBe(true);
		expect(checkStatements(fewer, { full: true, update: false, dir: files }).ok).toBe(false);
		checkStatements(recording([{ concept: 'cases', sql: 'SELECT 3' }]), { full: false, update: true, dir: files });
		expect([...readOnFile(files).get('cases')!].sort()).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
		checkStatements(fewer, { full: true, update: true, dir: files });
		expect([...readOnFile(files).get('cases')!]).toEqual(['SELECT 1']);
	});
});
