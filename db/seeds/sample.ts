/**
 * Loading the Hejiang sample: the real county outline (geodata/) and the generated layers
 * (the deterministic generator at scale 1), in one transaction with an audit row.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/lib/server/platform/db.js';
import { RECORD_LAYERS } from '../../src/lib/domain/records.js';
import { createGenerator, type GeneratorOptions } from './generator/index.js';
import { writeRecords } from '../../src/lib/server/areas/record-writers.js';
import { audit } from '../../src/lib/server/platform/audit.js';
import { createDemoAccounts, linkDemoDepartment } from './demo-accounts.js';
import { ensureDemoFloodSpot } from './demo-flood.js';
import { setUpCases } from './case-setup.js';
import { setUpThreeOnes } from './three-ones.js';
// 三张清单 (issue 14, part 3)
import { setUpServiceLists } from './service-lists.js';
// 兼职副书记 (issue 14, part 1)
import { setUpDeputies } from './deputies.js';
// 双报到 (issue 14, part 4)
import { setUpDualReporting } from './dual-reporting.js';
// 考核评价 (issue 14, part 5)
import { setUpEvaluation } from './evaluation.js';

export const SAMPLE_DEFAULTS: GeneratorOptions = { scale: 1, seed: 'hejiang' };

/** geodata/ of the project: the server and every CLI run from the project root. */
export function geodataDir(): string {
	return path.resolve(process.env.GEODATA_DIR ?? 'geodata');
}

export async function isEmpty(db: Database): Promise<boolean> {
	const { rows } = await db.knex.raw<{ rows: { n: number }[] }>(
		'SELECT (SELECT count(*) FROM county) + (SELECT count(*) FROM streets) AS n'
	);
	return Number(rows[0].n) === 0;
}

export async function loadSampleIfEmpty(
	db: Database,
	opts: { log?: (m: string) => void; announce?: () => void } = {}
): Promise<boolean> {
	if (!(await isEmpty(db))) return false;
	opts.announce?.();
	await loadSample(db, { ...SAMPLE_DEFAULTS, log: opts.log });
	return true;
}

export async function loadSample(
	db: Database,
	opts: GeneratorOptions & { log?: (m: string) => void }
): Promise<Record<string, number>> {
	const generator = createGenerator({ scale: opts.scale, seed: opts.seed });
	const county = JSON.parse(
		fs.readFileSync(path.join(geodataDir(), 'hejiang-county.wgs84.geojson'), 'utf8')
	);
	const written: Record<string, number> = {};
	await db.knex.transaction(async (trx) => {
		for (const feature of county.features) {
			await trx.raw(
				`INSERT INTO county (code, name, source, geom)
				 VALUES (:code, :name, :source, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(:geometry), 4326)))
				 ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, source = EXCLUDED.source, geom = EXCLUDED.geom, updated_at = now()`,
				{
					code: feature.properties.code,
					name: feature.properties.name,
					source: feature.properties.source ?? null,
					geometry: JSON.stringify(feature.geometry)
				}
			);
		}
		written.county = county.features.length;
		for (const layer of RECORD_LAYERS) {
			written[layer] = await writeRecords(trx, layer, generator.records(layer));
			opts.log?.(`sample: ${layer} ${written[layer]}`);
		}
		written.users = await createDemoAccounts(trx);
		written.demo_flood_spots = await ensureDemoFloodSpot(trx);
		await setUpCases(trx);
		written.deputies = await setUpDeputies(trx);
		// After the deputies: the demo link is new, with no deputy named yet.
		await linkDemoDepartment(trx);
		written.three_ones = await setUpThreeOnes(trx);
		written.service_lists = await setUpServiceLists(trx);
		written.dual_reporting = await setUpDualReporting(trx);
		written.evaluation = await setUpEvaluation(trx);
		await audit(trx, 'system', 'load_sample', 'sample', { scale: opts.scale, seed: opts.seed, written });
	});
	return written;
}
