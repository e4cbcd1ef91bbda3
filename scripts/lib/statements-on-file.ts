/**
 * Every statement on file (issue 22, point 4): after the tests, the statement shapes the app
 * sent (recorded by src/lib/server/platform/sql-record.ts into a directory, one .jsonl per
 * process) are compared with queries/<concept>.sql. A statement sent but not on file fails the
 * run; on a full run, so does a statement on file that nothing sent any more. With
 * UPDATE_QUERIES=1 the files are rewritten instead (a focused run only adds lines: it cannot
 * tell a statement no longer sent from one its files did not reach).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UNFILED_CONCEPTS } from '../../src/lib/server/platform/sql-record.js';

export const QUERIES_DIR = 'queries';

type Statements = Map<string, Set<string>>;

function add(into: Statements, concept: string, sql: string): void {
	let set = into.get(concept);
	if (!set) into.set(concept, (set = new Set()));
	set.add(sql);
}

/** What the processes of a run recorded, by concept; migrations and seeds left out. */
export function readRecorded(dir: string): Statements {
	const out: Statements = new Map();
	if (!fs.existsSync(dir)) return out;
	for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
		for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
			if (!line) continue;
			const { concept, sql } = JSON.parse(line) as { concept: string; sql: string };
			if (!UNFILED_CONCEPTS.has(concept)) add(out, concept, sql);
		}
	}
	return out;
}

/** The statements on file: one a line, `;`-terminated; `--` lines are comments. */
export function readOnFile(dir = QUERIES_DIR): Statements {
	const out: Statements = new Map();
	if (!fs.existsSync(dir)) return out;
	for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.sql'))) {
		const concept = name.slice(0, -'.sql'.length);
		for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
			if (line && !line.startsWith('--')) add(out, concept, line.replace(/;$/, ''));
		}
	}
	return out;
}

function fileText(concept: string, statements: Set<string>): string {
	const header = [
		`-- Every statement src/lib/server/${concept}/ sends in the integration tests, one shape a line, recorded at the driver`,
		'-- (src/lib/server/platform/sql-record.ts: whitespace collapsed, parameters as ?, IN and VALUES lists cut to one item).',
		'-- Checked after `npm test` (scripts/lib/statements-on-file.ts); `UPDATE_QUERIES=1 npm test` rewrites it.'
	];
	return [...header, ...[...statements].sort().map((sql) => `${sql};`)].join('\n') + '\n';
}

function minus(a: Statements, b: Statements): [string, string][] {
	const out: [string, string][] = [];
	for (const [concept, set] of a) for (const sql of set) if (!b.get(concept)?.has(sql)) out.push([concept, sql]);
	return out.sort(([c1, s1], [c2, s2]) => c1.localeCompare(c2) || s1.localeCompare(s2));
}

/** Up to 240 characters of a statement from `at`, marked where cut. */
function clip(sql: string, at: number): string {
	const from = Math.max(0, at);
	return `${from > 0 ? '…' : ''}${sql.slice(from, from + 240)}${from + 240 < sql.length ? '…' : ''}`;
}

/**
 * A statement not on file, shown beside the one on file it shares the longest beginning with
 * (a changed statement is most often a variant of a line there), from a little before the
 * first character where the two part.
 */
function whereItDiffers(file: string, sql: string, candidates: Set<string> | undefined): string[] {
	let best: string | null = null;
	let shared = 0;
	for (const other of candidates ?? []) {
		let n = 0;
		while (n < sql.length && n < other.length && sql[n] === other[n]) n++;
		if (n > shared) [best, shared] = [other, n];
	}
	if (best === null || shared < 20) return [`  ${file}: ${clip(sql, 0)}`];
	return [`  ${file}, the closest line differs at character ${shared + 1}:`, `    sent:    ${clip(sql, shared - 60)}`, `    on file: ${clip(best, shared - 60)}`];
}

export interface Outcome {
	ok: boolean;
	report: string;
}

/**
 * Compares a run's recording with the files (or rewrites them, `update`). `full`: the whole
 * suite ran, so a statement on file that was not sent is stale.
 */
export function checkStatements(recordDir: string, opts: { full: boolean; update: boolean; dir?: string }): Outcome {
	const dir = opts.dir ?? QUERIES_DIR;
	const recorded = readRecorded(recordDir);
	if (recorded.size === 0) return { ok: true, report: 'no statement of an app module recorded (no integration test sent one)' };
	const onFile = readOnFile(dir);
	const unfiled = minus(recorded, onFile);
	const stale = minus(onFile, recorded);
	const count = [...recorded.values()].reduce((n, set) => n + set.size, 0);
	if (opts.update) {
		const next: Statements = opts.full ? recorded : new Map(onFile);
		if (!opts.full) for (const [concept, sql] of unfiled) add(next, concept, sql);
		fs.mkdirSync(dir, { recursive: true });
		for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.sql'))) {
			if (!next.has(name.slice(0, -'.sql'.length))) fs.rmSync(path.join(dir, name));
		}
		for (const [concept, set] of next) fs.writeFileSync(path.join(dir, `${concept}.sql`), fileText(concept, set));
		return { ok: true, report: `${dir}/ rewritten: ${unfiled.length} statements added${opts.full ? `, ${stale.length} no longer sent removed` : ''}` };
	}
	const lines: string[] = [];
	const list = (what: [string, string][]) => what.map(([concept, sql]) => `  ${dir}/${concept}.sql: ${clip(sql, 0)}`);
	if (unfiled.length) {
		lines.push(`${unfiled.length} statements were sent that are not on file:`);
		for (const [concept, sql] of unfiled) lines.push(...whereItDiffers(`${dir}/${concept}.sql`, sql, onFile.get(concept)));
	}
	if (stale.length && opts.full) lines.push(`${stale.length} statements on file were not sent:`, ...list(stale));
	else if (stale.length) lines.push(`${stale.length} statements on file were not sent (a focused run: not checked)`);
	const ok = unfiled.length === 0 && (!opts.full || stale.length === 0);
	if (!ok) lines.push(`Review the change, then run \`UPDATE_QUERIES=1 npm test\` (or the same focused command with UPDATE_QUERIES=1 to add lines) and commit ${dir}/.`);
	return { ok, report: [`${count} statement shapes sent, checked against ${dir}/`, ...lines].join('\n') };
}
