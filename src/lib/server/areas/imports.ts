/**
 * Importing GeoJSON into one layer. Every feature is checked first — structure, coordinates,
 * geometry type, validity (PostGIS's own reason), parent — and a file with any bad feature
 * writes nothing. A good file is written in one transaction, upserting by code, with an
 * audit row. Checks and writes go in batches of features, so a file of any size stays within
 * what one statement may bind.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Geometry } from 'geojson';
import type { Database } from '../platform/db.js';
import { readGeoJson, type FeatureProblem, type InputFeature } from '../../geo/geojson-check.js';
import { geometryToWgs84, type Crs } from '../../geo/crs.js';
import { writeRecords } from './record-writers.js';
import { COVERING } from '../platform/tables.js';
import { FLOOD_CAUSES, FLOOD_SEVERITIES, FLOOD_STATUSES, ISSUE_SOURCES, ISSUE_STATUSES, MATTER_TYPES, RENOVATION_STATUSES, URGENCIES } from '../../domain/glossary.js';
import { type LayerRecords } from '../../domain/records.js';
import { audit } from '../platform/audit.js';

/** The layers an import may write, with the parent they hang from. */
export const IMPORT_LAYERS = {
	streets: { table: 'streets', parent: null, geometry: ['Polygon', 'MultiPolygon'] },
	communities: { table: 'communities', parent: 'streets', geometry: ['Polygon', 'MultiPolygon'] },
	grids: { table: 'grids', parent: 'communities', geometry: ['Polygon', 'MultiPolygon'] },
	compounds: { table: 'compounds', parent: 'communities', geometry: ['Polygon', 'MultiPolygon'] },
	buildings: { table: 'buildings', parent: null, geometry: ['Polygon', 'MultiPolygon'] },
	issues: { table: 'issues', parent: null, geometry: ['Point'] },
	renovation: { table: 'renovation_projects', parent: null, geometry: ['Polygon', 'MultiPolygon'] },
	flood: { table: 'flood_spots', parent: null, geometry: ['Point', 'Polygon', 'MultiPolygon'] }
} as const;
export type ImportLayer = keyof typeof IMPORT_LAYERS;

export interface ImportOptions {
	layer: ImportLayer;
	crs: Crs;
	nameField?: string;
	codeField?: string;
	/** property holding the parent's code; when the features lack it the parent is found spatially */
	parentField?: string;
	/** make invalid polygons valid when that changes their area by less than 1% */
	repair?: boolean;
	/** who imports, for the audit row */
	actor?: string;
	/** file name, for the audit row */
	source?: string;
}

export interface Repair {
	index: number;
	reason: string;
	areaChangePct: number;
}

export type ImportResult =
	| { ok: true; written: number; created: number; updated: number; repairs: Repair[] }
	| { ok: false; error?: string; problems: FeatureProblem[]; repairs: Repair[] };

/**
 * Features per statement. A check binds one JSON value per batch and a write about 15 values per
 * row (in statements of 500 rows), so every statement stays far below PostgreSQL's limit of
 * 65,535 bind parameters, and its size is bounded however large the file.
 */
const BATCH = 1000;

/** Repairs that change a polygon's area by this share or more are refused. */
export const MAX_REPAIR_AREA_CHANGE = 0.01;

const PARENT_DEFAULT_FIELD: Partial<Record<ImportLayer, string>> = {
	communities: 'street_code',
	grids: 'community_code',
	compounds: 'community_code'
};
const CODE_PREFIX: Record<ImportLayer, string> = {
	streets: 'S',
	communities: 'C',
	grids: 'G',
	compounds: 'K',
	buildings: 'B',
	issues: 'I',
	renovation: 'R',
	flood: 'F'
};
/** Area layers must carry their own code; for the others a stable code is made from the geometry. */
const CODE_REQUIRED: ImportLayer[] = ['streets', 'communities', 'grids', 'compounds'];

export async function importGeoJson(db: Database, text: string, opts: ImportOptions): Promise<ImportResult> {
	const spec = IMPORT_LAYERS[opts.layer];
	const read = readGeoJson(text, { allowed: [...spec.geometry], crs: opts.crs });
	if (!read.ok) return { ok: false, error: read.error, problems: [], repairs: [] };
	const problems: FeatureProblem[] = [...read.problems];
	const bad = new Set(problems.map((p) => p.index));
	if (read.features.length === 0 && problems.length === 0) {
		return { ok: false, error: 'the file holds no features', problems, repairs: [] };
	}

	// Properties → records, in WGS84.
	const candidates: Candidate[] = [];
	for (const feature of read.features) {
		if (bad.has(feature.index)) continue;
		const mapped = toRecord(feature, opts);
		if (typeof mapped === 'string') problems.push({ index: feature.index, reason: mapped });
		else candidates.push({ feature, record: mapped });
	}
	const duplicates = duplicateCodes(candidates);
	problems.push(...duplicates);

	const repairs: Repair[] = [];
	let outcome: { written: number; created: number } | null = null;
	try {
		await db.knex.transaction(async (trx) => {
			for (const batch of batches(candidates)) {
				const checked = await checkValidity(trx, batch, opts.repair ?? false);
				problems.push(...checked.problems);
				repairs.push(...checked.repairs);
				if (spec.parent) problems.push(...(await resolveParents(trx, batch, opts, spec.parent)));
				if (opts.layer === 'renovation') problems.push(...(await outsideCounty(trx, batch)));
			}
			if (problems.length) throw new Rejected();

			const existing = await countExisting(trx, spec.table, candidates);
			const written = await writeBatches(trx, opts.layer, candidates);
			// A project's totals are the sums of its money by source where it has any (renovation.ts).
			if (opts.layer === 'renovation') await trx.raw(RENOVATION_TOTALS_SQL);
			await audit(trx, opts.actor ?? 'import-cli', 'import', opts.layer, {
				source: opts.source ?? null,
				crs: opts.crs,
				written,
				repairs: repairs.map((r) => ({ index: r.index, area_change_pct: r.areaChangePct }))
			});
			outcome = { written, created: written - existing };
		});
	} catch (error) {
		if (error instanceof Refused) problems.push(...(await findRefused(db, opts.layer, error)));
		else if (!(error instanceof Rejected)) throw error;
	}
	if (!outcome) {
		problems.sort((a, b) => a.index - b.index);
		return { ok: false, problems, repairs };
	}
	const { written, created } = outcome as { written: number; created: number };
	return { ok: true, written, created, updated: written - created, repairs };
}

type Candidate = { feature: InputFeature; record: Record<string, unknown> };

/** Some feature has a problem: the transaction rolls back and the problems are the answer. */
class Rejected extends Error {}

/** PostgreSQL refused a batch of records for their data; `cause` is its error. */
class Refused extends Error {
	constructor(
		readonly batch: Candidate[],
		cause: unknown
	) {
		super('the database refused a batch of records', { cause });
	}
}

function batches<T>(items: T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
	return out;
}

function prop(feature: InputFeature, field: string): unknown {
	const value = feature.properties[field];
	return value === '' ? undefined : value;
}

function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	return String(value).trim() || undefined;
}

function stableCode(layer: ImportLayer, geometry: Geometry): string {
	const hash = createHash('sha1').update(JSON.stringify(geometry)).digest('hex').slice(0, 12);
	return `${CODE_PREFIX[layer]}-${hash}`;
}

type Field = { name: string; kind: 'text' | 'int' | 'bool' | 'date' | 'timestamp'; default?: unknown } | {
	name: string;
	kind: 'enum';
	values: readonly string[];
	default: string;
};

/** Optional properties each layer reads, with their types and defaults. */
const FIELDS: Record<ImportLayer, Field[]> = {
	streets: [{ name: 'kind', kind: 'enum', values: ['street', 'town', 'township'], default: 'street' }],
	communities: [],
	grids: [],
	compounds: [
		{ name: 'is_old', kind: 'bool', default: false },
		{ name: 'has_party_branch', kind: 'bool', default: false },
		{ name: 'property_company', kind: 'text', default: null },
		{ name: 'is_red_property', kind: 'bool', default: false }
	],
	buildings: [
		{ name: 'address', kind: 'text', default: null },
		{ name: 'floors', kind: 'int', default: null },
		{ name: 'households', kind: 'int', default: 0 }
	],
	issues: [
		{ name: 'category', kind: 'text', default: 'public_service' },
		{ name: 'matter_type', kind: 'enum', values: MATTER_TYPES, default: 'practical' },
		{ name: 'urgency', kind: 'enum', values: URGENCIES, default: 'general' },
		{ name: 'status', kind: 'enum', values: ISSUE_STATUSES, default: 'reported' },
		{ name: 'source', kind: 'enum', values: ISSUE_SOURCES, default: 'resident' },
		{ name: 'reported_at', kind: 'timestamp', default: undefined },
		{ name: 'due_at', kind: 'timestamp', default: null },
		{ name: 'resolved_on_site', kind: 'bool', default: false },
		{ name: 'building_code', kind: 'text', default: null }
	],
	renovation: [
		{ name: 'status', kind: 'enum', values: RENOVATION_STATUSES, default: 'planned' },
		{ name: 'batch', kind: 'int', default: null },
		{ name: 'budget_yuan', kind: 'int', default: 0 },
		{ name: 'funds_secured_yuan', kind: 'int', default: 0 },
		{ name: 'spent_yuan', kind: 'int', default: 0 },
		{ name: 'start_date', kind: 'date', default: null },
		{ name: 'end_date', kind: 'date', default: null },
		{ name: 'progress_pct', kind: 'int', default: 0 },
		{ name: 'is_demonstration', kind: 'bool', default: false },
		{ name: 'party_branch_set_up', kind: 'bool', default: false },
		{ name: 'red_property', kind: 'bool', default: false }
	],
	flood: [
		{ name: 'cause', kind: 'enum', values: FLOOD_CAUSES, default: 'low_lying' },
		{ name: 'severity', kind: 'enum', values: FLOOD_SEVERITIES, default: 'medium' },
		{ name: 'status', kind: 'enum', values: FLOOD_STATUSES, default: 'active' },
		{ name: 'issue_code', kind: 'text', default: null },
		{ name: 'project_code', kind: 'text', default: null }
	]
};

const TRUE = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE = new Set(['false', '0', 'no', 'n', '否']);

/** A feature's record for the layer, or the reason it cannot be one. */
function toRecord(feature: InputFeature, opts: ImportOptions): Record<string, unknown> | string {
	const geometry = geometryToWgs84(feature.geometry, opts.crs);
	const codeField = opts.codeField ?? 'code';
	const nameField = opts.nameField ?? (opts.layer === 'issues' ? 'title' : 'name');
	let code = text(prop(feature, codeField));
	if (!code) {
		if (CODE_REQUIRED.includes(opts.layer)) return `property '${codeField}' (the code) is missing`;
		code = stableCode(opts.layer, geometry);
	}
	const name = text(prop(feature, nameField));
	if (!name && opts.layer !== 'buildings') return `property '${nameField}' (the name) is missing`;
	const record: Record<string, unknown> = { code, geometry };
	record[opts.layer === 'issues' ? 'title' : 'name'] = name ?? null;

	for (const field of FIELDS[opts.layer]) {
		const raw = prop(feature, field.name);
		if (raw === undefined || raw === null) {
			record[field.name] = field.default === undefined ? new Date().toISOString() : field.default;
			continue;
		}
		const value = coerce(field, raw);
		if (value === undefined) {
			const expected = field.kind === 'enum' ? `one of ${field.values.join(', ')}` : `a ${field.kind}`;
			return `property '${field.name}' is ${JSON.stringify(raw)}, expected ${expected}`;
		}
		record[field.name] = value;
	}
	const parentField = opts.parentField ?? PARENT_DEFAULT_FIELD[opts.layer];
	if (parentField) record.parent_code = text(prop(feature, parentField)) ?? null;
	return record;
}

function coerce(field: Field, raw: unknown): unknown {
	switch (field.kind) {
		case 'text':
			return String(raw);
		case 'enum':
			return field.values.includes(String(raw)) ? String(raw) : undefined;
		case 'int': {
			const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
			return Number.isSafeInteger(n) ? n : undefined;
		}
		case 'bool': {
			if (typeof raw === 'boolean') return raw;
			const s = String(raw).trim().toLowerCase();
			return TRUE.has(s) ? true : FALSE.has(s) ? false : undefined;
		}
		case 'date':
			return /^\d{4}-\d{2}-\d{2}$/.test(String(raw)) && !Number.isNaN(Date.parse(String(raw))) ? String(raw) : undefined;
		case 'timestamp': {
			const t = Date.parse(String(raw));
			return Number.isNaN(t) ? undefined : new Date(t).toISOString();
		}
	}
}

function duplicateCodes(candidates: Candidate[]): FeatureProblem[] {
	const first = new Map<string, number>();
	const problems: FeatureProblem[] = [];
	for (const { feature, record } of candidates) {
		const code = record.code as string;
		const seen = first.get(code);
		if (seen === undefined) first.set(code, feature.index);
		else problems.push({ index: feature.index, reason: `code '${code}' already used by feature ${seen}` });
	}
	return problems;
}

/**
 * Renovation areas lie inside the county (issue 11), as the API requires: a feature reaching
 * outside is a problem of its own. No county loaded (an empty database), no check.
 */
async function outsideCounty(trx: Knex.Transaction, candidates: Candidate[]): Promise<FeatureProblem[]> {
	if (!candidates.length) return [];
	const { rows } = await trx.raw<{ rows: { i: number }[] }>(
		`WITH input AS (
			SELECT (ord - 1)::int AS i, ST_SetSRID(ST_GeomFromGeoJSON(value::text), 4326) AS geom
			FROM json_array_elements(CAST(:geometries AS json)) WITH ORDINALITY AS t(value, ord)
		)
		SELECT i FROM input WHERE EXISTS (SELECT 1 FROM county) AND ST_IsValid(geom)
			AND NOT EXISTS (SELECT 1 FROM county c WHERE ST_CoveredBy(input.geom, c.geom)) ORDER BY i`,
		{ geometries: JSON.stringify(candidates.map((c) => c.record.geometry)) }
	);
	return rows.map((r) => ({ index: candidates[r.i].feature.index, reason: 'the area lies outside Hejiang County: a renovation area must be inside the county' }));
}

/** Brings every renovation project's totals to the sums of its funds by source, kind by kind, where it has any. */
const RENOVATION_TOTALS_SQL = `UPDATE renovation_projects p SET
	budget_yuan = COALESCE(f.planned, p.budget_yuan), funds_secured_yuan = COALESCE(f.secured, p.funds_secured_yuan), spent_yuan = COALESCE(f.spent, p.spent_yuan)
FROM (SELECT project_id, sum(amount_yuan) FILTER (WHERE kind = 'planned') AS planned, sum(amount_yuan) FILTER (WHERE kind = 'secured') AS secured,
	sum(amount_yuan) FILTER (WHERE kind = 'spent') AS spent FROM renovation_funds GROUP BY project_id) f
WHERE f.project_id = p.id`;

/**
 * Validity is PostGIS's verdict (ST_IsValidReason), asked for a batch of features in one statement.
 * With repair, an invalid polygon becomes ST_MakeValid's polygonal part when its area moves
 * by less than 1%; the record then carries the repaired geometry.
 */
async function checkValidity(
	trx: Knex.Transaction,
	candidates: Candidate[],
	repair: boolean
): Promise<{ problems: FeatureProblem[]; repairs: Repair[] }> {
	const problems: FeatureProblem[] = [];
	const repairs: Repair[] = [];
	if (!candidates.length) return { problems, repairs };
	const { rows } = await trx.raw<{
		rows: { i: number; valid: boolean; reason: string; fixed: string | null; area: number; fixed_area: number | null }[];
	}>(
		`WITH input AS (
			SELECT (ord - 1)::int AS i, ST_SetSRID(ST_GeomFromGeoJSON(value::text), 4326) AS geom
			FROM json_array_elements(CAST(:geometries AS json)) WITH ORDINALITY AS t(value, ord)
		), checked AS (
			SELECT i, geom, ST_IsValid(geom) AS valid, ST_IsValidReason(geom) AS reason FROM input
		), repaired AS (
			SELECT i, valid, reason, ST_Area(geom) AS area,
				CASE WHEN NOT valid AND :repair AND GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')
					THEN ST_CollectionExtract(ST_MakeValid(geom), 3) END AS fixed
			FROM checked
		)
		SELECT i, valid, reason, area,
			CASE WHEN fixed IS NOT NULL AND NOT ST_IsEmpty(fixed) THEN ST_AsGeoJSON(fixed, 9) END AS fixed,
			CASE WHEN fixed IS NOT NULL AND NOT ST_IsEmpty(fixed) THEN ST_Area(fixed) END AS fixed_area
		FROM repaired ORDER BY i`,
		{ geometries: JSON.stringify(candidates.map((c) => c.record.geometry)), repair }
	);
	for (const row of rows) {
		if (row.valid) continue;
		const { feature, record } = candidates[row.i];
		const reason = `invalid geometry: ${row.reason}`;
		if (!repair) {
			problems.push({ index: feature.index, reason: `${reason} (use --repair to fix small self-intersections)` });
			continue;
		}
		const area = Number(row.area);
		const change = row.fixed_area == null ? Infinity : Math.abs(Number(row.fixed_area) - area) / Math.abs(area || 0);
		const pct = Number.isFinite(change) ? Math.round(change * 10000) / 100 : Infinity;
		if (row.fixed == null || !(change < MAX_REPAIR_AREA_CHANGE)) {
			problems.push({
				index: feature.index,
				reason: `${reason}; repair refused: area would change by ${Number.isFinite(pct) ? `${pct}%` : 'an unknown amount'} (limit 1%)`
			});
			continue;
		}
		record.geometry = JSON.parse(row.fixed);
		repairs.push({ index: feature.index, reason: row.reason, areaChangePct: pct });
	}
	return { problems, repairs };
}

/**
 * Finds each record's parent: by the code in its parent field, else the parent area that
 * covers its point on surface (migration 0350's covering functions, the one rule). Writes the found code into the record's parent column.
 */
async function resolveParents(
	trx: Knex.Transaction,
	candidates: Candidate[],
	opts: ImportOptions,
	parentLayer: 'streets' | 'communities'
): Promise<FeatureProblem[]> {
	const parentTable = IMPORT_LAYERS[parentLayer].table;
	const parentKey = parentLayer === 'streets' ? 'street_code' : 'community_code';
	const noun = parentLayer === 'streets' ? 'street' : 'community';
	const { rows } = await trx.raw<{ rows: { i: number; given: string | null; found: string | null }[] }>(
		`WITH input AS (
			SELECT (ord - 1)::int AS i, value->>'parent' AS given,
				ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON((value->'geometry')::text), 4326)) AS point
			FROM json_array_elements(CAST(:input AS json)) WITH ORDINALITY AS t(value, ord)
		)
		SELECT i, given,
			CASE WHEN given IS NOT NULL
				THEN (SELECT p.code FROM :parentTable: p WHERE p.code = input.given)
				ELSE (SELECT p.code FROM ${COVERING[noun]}(input.point) p)
			END AS found
		FROM input ORDER BY i`,
		{
			input: JSON.stringify(candidates.map((c) => ({ parent: c.record.parent_code, geometry: c.record.geometry }))),
			parentTable
		}
	);
	const problems: FeatureProblem[] = [];
	for (const row of rows) {
		const { feature, record } = candidates[row.i];
		delete record.parent_code;
		if (row.found) {
			record[parentKey] = row.found;
		} else if (row.given) {
			problems.push({ index: feature.index, reason: `parent ${noun} '${row.given}' does not exist` });
		} else {
			const field = opts.parentField ?? PARENT_DEFAULT_FIELD[opts.layer];
			problems.push({
				index: feature.index,
				reason: `no ${noun} contains this feature and property '${field}' names none`
			});
		}
	}
	return problems;
}

/** How many of the candidates' codes the table holds already, counted batch by batch. */
async function countExisting(trx: Knex.Transaction, table: string, candidates: Candidate[]): Promise<number> {
	let existing = 0;
	for (const batch of batches(candidates)) {
		const codes = batch.map((c) => c.record.code as string);
		const [{ n }] = await trx(table).whereIn('code', codes).count<{ n: string }[]>({ n: '*' });
		existing += Number(n);
	}
	return existing;
}

/**
 * Writes the records batch by batch inside the caller's transaction. A batch PostgreSQL refuses
 * for its data ends the import as Refused, so that findRefused can name the features; any
 * other failure (a lock, the connection) stays what it is.
 */
async function writeBatches(trx: Knex.Transaction, layer: ImportLayer, candidates: Candidate[]): Promise<number> {
	let written = 0;
	for (const batch of batches(candidates)) {
		try {
			written += await writeRecords(trx, layer, batch.map((c) => c.record) as Iterable<LayerRecords[ImportLayer]>);
		} catch (error) {
			throw refusedForData(error) ? new Refused(batch, error) : error;
		}
	}
	return written;
}

/**
 * Names the features of a refused batch: each record is written alone under a savepoint, in a
 * transaction of its own that is always rolled back, and each one PostgreSQL refuses is a
 * problem. Savepoints only here, after a failure: one per batch in every import would make
 * hundreds of subtransactions, which slow other sessions' snapshots while the import runs.
 * Only the first refused batch is searched; when no single record fails, the error stands.
 */
async function findRefused(db: Database, layer: ImportLayer, refused: Refused): Promise<FeatureProblem[]> {
	const problems: FeatureProblem[] = [];
	try {
		await db.knex.transaction(async (trx) => {
			for (const { feature, record } of refused.batch) {
				try {
					await trx.transaction((savepoint) => writeRecords(savepoint, layer, [record] as Iterable<LayerRecords[ImportLayer]>));
				} catch (error) {
					if (!refusedForData(error)) throw error;
					problems.push({ index: feature.index, reason: `the database refused it: ${failureReason(error)}` });
				}
			}
			throw new Rejected();
		});
	} catch (error) {
		if (!(error instanceof Rejected)) throw error;
	}
	if (!problems.length) throw refused.cause;
	return problems;
}

/**
 * SQLSTATE classes 22 (data exception: a value out of range, a bad date) and 23 (integrity
 * constraint violation): the fault of a row, not of a lock, the connection or the server.
 */
function refusedForData(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Longer reasons are cut: a line, not a page. */
const MAX_REASON = 300;

/**
 * An error as one short line for the person importing: never a stack, never SQL. knex puts the
 * statement with its values in front of PostgreSQL's message ("insert into … - <message>"),
 * which can be megabytes long; only the text after its last " - " is PostgreSQL's own.
 */
export function failureReason(error: unknown): string {
	let message = messageOf(error);
	if (/^\s*(select|insert|update|delete|with|create|alter|drop|lock|set|begin|commit|rollback|savepoint|release)\b[\s\S]* - /i.test(message)) {
		message = message.slice(message.lastIndexOf(' - ') + 3);
	}
	const line = message.trim().split('\n', 1)[0].trim();
	// Control characters from quoted data would break the line or the terminal.
	const printable = line.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return printable.length > MAX_REASON ? `${printable.slice(0, MAX_REASON)}…` : printable || 'unknown error';
}

function messageOf(error: unknown): string {
	// A failed connection to a name with several addresses (localhost) is an AggregateError without a message.
	if (error instanceof AggregateError && !error.message && error.errors.length) return messageOf(error.errors[0]);
	if (error instanceof Error) return error.message || String((error as { code?: unknown }).code ?? error.name);
	return String(error);
}
