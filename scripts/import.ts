/**
 * `npm run import -- --layer <layer> [--crs wgs84|gcj02|cgcs2000|epsg:3857] [--name-field F]
 *  [--code-field F] [--parent-field F] [--repair] FILE`
 * Checks every feature, reports each bad one by index and reason, and then writes nothing
 * (exit 1); a good file is written in one transaction. Migrates the database first.
 * Bad arguments exit 2. Any other failure is one line, "import failed: <reason>" (exit 1):
 * the person importing gets no stack and no SQL.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { openDatabase, migrate, type Database } from '../src/lib/server/platform/db.js';
import { failureReason, importGeoJson, type ImportResult } from '../src/lib/server/areas/imports.js';
import { IMPORT_LAYERS, type ImportLayer } from '../src/lib/server/areas/imports.js';
import { parseCrs } from '../src/lib/geo/crs.js';

const USAGE = `usage: npm run import -- --layer <${Object.keys(IMPORT_LAYERS).join('|')}> [--crs wgs84|gcj02|cgcs2000|epsg:3857] [--name-field F] [--code-field F] [--parent-field F] [--repair] FILE`;

function fail(message: string, code = 2): never {
	console.error(message);
	process.exit(code);
}

/** Every failure but bad arguments and bad features: one line, without stack or SQL. */
function failureLine(error: unknown): string {
	return `import failed: ${failureReason(error)}`;
}
// Errors raised outside the awaited chain (an idle connection dropped) end the same way.
process.on('uncaughtException', (error) => fail(failureLine(error), 1));
process.on('unhandledRejection', (error) => fail(failureLine(error), 1));

/**
 * knex logs a failed connection attempt with its stack before the error reaches the catch
 * below, which reports it in one line; other knex warnings keep their first line.
 */
const KNEX_LOG: Knex.Logger = {
	warn(message: unknown) {
		const text = String(message);
		if (!text.startsWith('Acquire connection error')) console.error(`warning: ${text.split('\n', 1)[0]}`);
	}
};

let args;
try {
	args = parseArgs({
		allowPositionals: true,
		options: {
			layer: { type: 'string' },
			crs: { type: 'string', default: 'wgs84' },
			'name-field': { type: 'string' },
			'code-field': { type: 'string' },
			'parent-field': { type: 'string' },
			repair: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false }
		}
	});
} catch (error) {
	fail(`${error instanceof Error ? error.message : error}\n${USAGE}`);
}
const { values, positionals } = args;
if (values.help) fail(USAGE, 0);
const layer = values.layer as ImportLayer | undefined;
if (!layer || !Object.hasOwn(IMPORT_LAYERS, layer)) fail(`--layer must be one of ${Object.keys(IMPORT_LAYERS).join(', ')}\n${USAGE}`);
const crs = parseCrs(values.crs!);
if (!crs) fail(`--crs '${values.crs}' is not known; use wgs84, gcj02, cgcs2000 or epsg:3857`);
if (positionals.length !== 1) fail(`give exactly one FILE\n${USAGE}`);
const file = positionals[0];
let text: string;
try {
	text = fs.readFileSync(file, 'utf8');
} catch (error) {
	fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
}

let exitCode: number;
let db: Database | undefined;
try {
	db = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data', log: KNEX_LOG });
	await migrate(db.knex);
	const result = await importGeoJson(db, text!, {
		layer: layer!,
		crs: crs!,
		nameField: values['name-field'],
		codeField: values['code-field'],
		parentField: values['parent-field'],
		repair: values.repair,
		source: file
	});
	exitCode = report(result);
} catch (error) {
	console.error(failureLine(error));
	exitCode = 1;
} finally {
	// Closing can fail after a failed connection too; the outcome is already decided.
	await db?.close().catch(() => {});
}
process.exit(exitCode);

/** Prints the outcome; the exit code. */
function report(result: ImportResult): number {
	for (const r of result.repairs) {
		console.log(`feature ${r.index}: repaired (${r.reason}); area changed by ${r.areaChangePct}%`);
	}
	if (result.ok) {
		console.log(`imported ${result.written} ${layer} from ${file} (${result.created} new, ${result.updated} updated)`);
		return 0;
	}
	if (result.error) console.error(`${file}: ${result.error}`);
	for (const p of result.problems) console.error(`feature ${p.index}: ${p.reason}`);
	const count = result.problems.length || 1;
	console.error(`rejected: nothing was written (${count} problem${count === 1 ? '' : 's'})`);
	return 1;
}
