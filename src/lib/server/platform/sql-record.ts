/**
 * Recording the statements the app sends, so that each one is on file in queries/<concept>.sql
 * (issue 22, point 4; scripts/lib/statements-on-file.ts compares the two after the tests). Off
 * unless RECORD_SQL names a directory: then every distinct statement shape this process sends
 * is appended there, once, with the concept that sent it — the folder under src/lib/server/
 * of the first frame of the call stack that is not the database plumbing itself.
 *
 * A shape is the statement with its whitespace collapsed, its parameters written `?` and its
 * variable-length lists cut to one item (IN (?, ...); VALUES (…) keeps its first row): a
 * statement that differs only in how many values it was given is one line on file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Knex } from 'knex';

/** Concepts whose statements are not kept on file: schema changes and the sample loader. */
export const UNFILED_CONCEPTS = new Set(['migrations', 'seeds']);

/** Frames of the plumbing every statement passes through: they name no concept. */
const PLUMBING = /[\\/]src[\\/]lib[\\/]server[\\/]platform[\\/](db|prepared|sql-record|audit)\.[jt]s\b/;
const SERVER_MODULE = /[\\/]src[\\/]lib[\\/]server[\\/]([\w-]+)[\\/]/;
const DB_MODULE = /[\\/]db[\\/](migrations|seeds)[\\/]/;
/** knex's migrator, run by db.ts `migrate`: its bookkeeping statements belong to the migrations. */
const MIGRATOR = /\bmigrate \([^)]*[\\/]platform[\\/]db\.[jt]s/;
/** Transaction control knex sends around a transaction: it says nothing about the app's SQL. */
const TRANSACTION_CONTROL = /^(begin|commit|rollback|savepoint|release savepoint|rollback to savepoint)\b/i;

/**
 * The concept a call stack belongs to: `migrations` or `seeds` when a migration, knex's
 * migrator or the sample loader is on it, else the src/lib/server folder of its first frame
 * outside the plumbing; null when no app module sent it (a test's own statement).
 */
export function conceptOf(stack: string): string | null {
	if (DB_MODULE.test(stack) || MIGRATOR.test(stack)) return DB_MODULE.exec(stack)?.[1] ?? 'migrations';
	for (const frame of stack.split('\n')) {
		if (PLUMBING.test(frame)) continue;
		const concept = SERVER_MODULE.exec(frame)?.[1];
		if (concept) return concept;
	}
	return null;
}

/** The balanced parenthesised group starting at `text[at]` (a '('), or null; quotes respected. */
function groupAt(text: string, at: number): string | null {
	if (text[at] !== '(') return null;
	let depth = 0;
	let quote: string | null = null;
	for (let i = at; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === quote) quote = null;
		} else if (c === "'" || c === '"') quote = c;
		else if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return text.slice(at, i + 1);
	}
	return null;
}

/** `values (a), (b), (c)` → `values (a)`: an insert is one shape whatever its row count. */
function oneRow(sql: string): string {
	let out = '';
	let from = 0;
	for (const m of sql.matchAll(/\bvalues \(/gi)) {
		const start = m.index + m[0].length - 1;
		if (start < from) continue;
		const first = groupAt(sql, start);
		if (!first) continue;
		let end = start + first.length;
		while (sql.startsWith(', (', end)) {
			const next = groupAt(sql, end + 2);
			if (!next) break;
			end += 2 + next.length;
		}
		out += sql.slice(from, start) + first;
		from = end;
	}
	return out + sql.slice(from);
}

/** The shape of a statement as it is kept on file (see the module comment). */
export function normalise(sql: string): string {
	const flat = sql
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/;$/, '')
		.replace(/\$\d+\b/g, '?')
		.replace(/\b(in|any) \(\?(?:, \?)*\)/gi, '$1 (?, ...)');
	return oneRow(flat);
}

/**
 * The call stack as `at <function> (<file>)` lines, read from V8's call sites: every statement
 * pays for it, and formatting a full stack (with the line numbers a test runner maps back
 * through source maps) would cost much more. Deeper than the default 10 frames: the caller
 * sits below knex's runner.
 */
function callStack(): string {
	const { prepareStackTrace, stackTraceLimit } = Error;
	const holder: { stack?: NodeJS.CallSite[] } = {};
	try {
		Error.prepareStackTrace = (_error, sites) => sites;
		Error.stackTraceLimit = 80;
		Error.captureStackTrace(holder, callStack);
		return (holder.stack ?? []).map((site) => `    at ${site.getFunctionName() ?? '<anonymous>'} (${site.getFileName() ?? ''})`).join('\n');
	} finally {
		Error.prepareStackTrace = prepareStackTrace;
		Error.stackTraceLimit = stackTraceLimit;
	}
}

let recorded: Set<string> | null = null;
let target: string | null = null;

/** Notes one statement this process is about to send (nothing unless RECORD_SQL is set). */
export function recordStatement(sql: string): void {
	const dir = process.env.RECORD_SQL;
	if (!dir || TRANSACTION_CONTROL.test(sql.trim())) return;
	const concept = conceptOf(callStack());
	if (!concept) return;
	const line = JSON.stringify({ concept, sql: normalise(sql) });
	recorded ??= new Set();
	if (recorded.has(line)) return;
	recorded.add(line);
	if (!target) {
		fs.mkdirSync(dir, { recursive: true });
		// One file per process and thread: parallel test workers never write into the same one.
		target = path.join(dir, `${process.pid}-${threadId}.jsonl`);
	}
	fs.appendFileSync(target, `${line}\n`);
}

/** Records every statement this knex sends, its transactions' included (RECORD_SQL set). */
export function recordQueries(knex: Knex): void {
	if (!process.env.RECORD_SQL) return;
	knex.on('query', (query: { sql: string }) => recordStatement(query.sql));
}
