/**
 * `npm run import -- --layer <layer> [--crs wgs84|gcj02|cgcs2000|epsg:3857] [--name-field F]
 *  [--code-field F] [--parent-field F] [--repair] FILE`
 * Checks every feature, reports each bad one by index and reason, and then writes nothing
 * (exit 1); a good file is written in one transaction. Migrates the database first.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, migrate } from '../src/lib/server/db.js';
import { importGeoJson } from '../src/lib/server/imports.js';
import { IMPORT_LAYERS, type ImportLayer } from '../src/lib/server/imports.js';
import { parseCrs } from '../src/lib/geo/crs.js';

const USAGE = `usage: npm run import -- --layer <${Object.keys(IMPORT_LAYERS).join('|')}> [--crs wgs84|gcj02|cgcs2000|epsg:3857] [--name-field F] [--code-field F] [--parent-field F] [--repair] FILE`;

function fail(message: string, code = 2): never {
	console.error(message);
	process.exit(code);
}

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

const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
let exitCode = 0;
try {
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
	for (const r of result.repairs) {
		console.log(`feature ${r.index}: repaired (${r.reason}); area changed by ${r.areaChangePct}%`);
	}
	if (result.ok) {
		console.log(`imported ${result.written} ${layer} from ${file} (${result.created} new, ${result.updated} updated)`);
	} else {
		if (result.error) console.error(`${file}: ${result.error}`);
		for (const p of result.problems) console.error(`feature ${p.index}: ${p.reason}`);
		console.error(`rejected: nothing was written (${result.problems.length || 1} problem${result.problems.length === 1 ? '' : 's'})`);
		exitCode = 1;
	}
} finally {
	await db.close();
}
process.exit(exitCode);
