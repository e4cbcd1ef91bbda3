/**
 * Writes the generated sample, one NDJSON file per layer:
 *   npm run geodata:generate -- [--scale N] [--seed S] [--out DIR]
 * Defaults: scale 1, seed "hejiang", out geodata/generated. Same seed and scale give
 * byte-identical files. Records are streamed and written in ~1 MiB chunks with backpressure,
 * so memory stays flat whatever the scale.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RECORD_LAYERS } from '../src/lib/domain/records.js';
import { createGenerator } from '../db/seeds/generator/index.js';

const { values } = parseArgs({
	options: {
		scale: { type: 'string', default: '1' },
		seed: { type: 'string', default: 'hejiang' },
		out: { type: 'string', default: 'geodata/generated' }
	}
});
const scale = Number(values.scale);
if (!Number.isFinite(scale) || scale < 1) {
	console.error(`--scale must be a number ≥ 1 (got ${values.scale})`);
	process.exit(2);
}
const seed = values.seed!;
const out = path.resolve(values.out!);
fs.mkdirSync(out, { recursive: true });

const CHUNK = 1 << 20;

async function writeLayer(file: string, records: Iterable<unknown>): Promise<number> {
	const stream = fs.createWriteStream(file);
	const failed = new Promise<never>((_, reject) => stream.once('error', reject));
	let buffer = '';
	let count = 0;
	const flush = async () => {
		if (!stream.write(buffer)) await Promise.race([once(stream, 'drain'), failed]);
		buffer = '';
	};
	for (const record of records) {
		buffer += JSON.stringify(record) + '\n';
		count++;
		if (buffer.length >= CHUNK) await flush();
	}
	if (buffer.length > 0) await flush();
	stream.end();
	await Promise.race([once(stream, 'finish'), failed]);
	return count;
}

const started = performance.now();
const generator = createGenerator({ scale, seed });
console.log(`generating scale ${scale}, seed "${seed}" into ${out}`);
for (const layer of RECORD_LAYERS) {
	const t0 = performance.now();
	const n = await writeLayer(path.join(out, `${layer}.ndjson`), generator.records(layer));
	const seconds = ((performance.now() - t0) / 1000).toFixed(1);
	console.log(`${layer.padEnd(16)} ${String(n).padStart(10)}  ${seconds.padStart(6)} s`);
}
console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
