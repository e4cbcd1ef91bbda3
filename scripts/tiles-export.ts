/**
 * `npm run tiles:export -- --layers streets,communities,… --minzoom 10 --maxzoom 16
 *  [--bbox w,s,e,n] [--as <username>] --out FILE.pmtiles [--database-url postgres://…]`
 * Writes one PMTiles archive of the tiles the server renders for that account
 * (src/lib/server/interfaces/tile-export.ts). Bad arguments exit 2, any other failure 1, in one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../src/lib/server/platform/db.js';
import { ExportError, exportArchive, type Bbox } from '../src/lib/server/interfaces/tile-export.js';
import { TILE_LAYER_NAMES, type TileLayerName } from '../src/lib/server/tiles/tiles.js';

const USAGE = `usage: npm run tiles:export -- --layers <${TILE_LAYER_NAMES.join(',')}> --minzoom 10 --maxzoom 16 [--bbox w,s,e,n] [--as USERNAME] --out FILE.pmtiles [--database-url postgres://…]`;

function fail(message: string, code = 2): never {
	console.error(message);
	process.exit(code);
}

let args;
try {
	args = parseArgs({
		options: {
			layers: { type: 'string' },
			minzoom: { type: 'string', default: '10' },
			maxzoom: { type: 'string', default: '16' },
			bbox: { type: 'string' },
			as: { type: 'string' },
			out: { type: 'string' },
			'database-url': { type: 'string' },
			help: { type: 'boolean', default: false }
		}
	});
} catch (error) {
	fail(`${error instanceof Error ? error.message : error}\n${USAGE}`);
}
const { values } = args;
if (values.help) fail(USAGE, 0);
if (!values.layers) fail(`give --layers\n${USAGE}`);
if (!values.out) fail(`give --out FILE.pmtiles\n${USAGE}`);
if (!values.out.endsWith('.pmtiles')) fail('--out must end in .pmtiles');
const whole = (name: string, raw: string) => (/^\d{1,2}$/.test(raw) ? Number(raw) : fail(`--${name} must be a whole number, not '${raw}'`));
let bbox: Bbox | undefined;
if (values.bbox !== undefined) {
	const parts = values.bbox.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
	if (parts.length !== 4 || !parts.every(Number.isFinite)) fail(`--bbox must be four numbers w,s,e,n, not '${values.bbox}'`);
	bbox = parts as Bbox;
}
const options = {
	layers: values.layers.split(',').map((l) => l.trim()) as TileLayerName[],
	minzoom: whole('minzoom', values.minzoom!),
	maxzoom: whole('maxzoom', values.maxzoom!),
	bbox,
	username: values.as ?? null
};
if (options.username === null) {
	console.warn('warning: no --as given: the archive holds the full view (every issue, building and project); only admins, planners and housing may fetch it from the server');
}

let db: Database | undefined;
let exitCode = 0;
const started = Date.now();
try {
	db = await openDatabase({ url: values['database-url'] || process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
	const result = await exportArchive(db, { ...options, onProgress: (line) => console.log(line) });
	fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
	// Written whole, then renamed: a server never serves half a file.
	fs.writeFileSync(`${values.out}.part`, result.archive);
	fs.renameSync(`${values.out}.part`, values.out);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log(
		`wrote ${values.out}: ${result.tiles} tiles (${result.rendered} rendered, ${result.queries} layer queries), ` +
			`${(result.archive.byteLength / 1024).toFixed(0)} KiB, for ${result.record.account ?? 'the full view'} (${result.record.scope_key}), in ${seconds} s`
	);
} catch (error) {
	if (error instanceof ExportError) {
		console.error(error.message);
		exitCode = 2;
	} else {
		console.error(`export failed: ${error instanceof Error ? error.message.split('\n', 1)[0] : error}`);
		exitCode = 1;
	}
} finally {
	await db?.close().catch(() => {});
}
process.exit(exitCode);
