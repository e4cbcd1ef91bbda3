/**
 * Writing the records of each layer: one upsert per layer, keyed by code, shared by the
 * sample loader and the import CLI so both write rows the same way. Re-writing a record
 * with the same code updates it in place.
 */
import type { Knex } from 'knex';
import type { RecordLayer, LayerRecords } from '../../domain/records.js';
import { LEVEL_TABLE } from '../platform/tables.js';

/** Rows per statement: at most ~15 bound values a row keeps each far below PostgreSQL's 65,535. */
const BATCH = 500;

function multi(knex: Knex, geometry: unknown): Knex.Raw {
	return knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [JSON.stringify(geometry)]);
}
function single(knex: Knex, geometry: unknown): Knex.Raw {
	return knex.raw('ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [JSON.stringify(geometry)]);
}
function idOf(knex: Knex, table: string, code: string | null): Knex.Raw | null {
	return code == null ? null : knex.raw('(SELECT id FROM ?? WHERE code = ?)', [table, code]);
}

type Row = Record<string, unknown>;
type ToRow<L extends RecordLayer> = (knex: Knex, r: LayerRecords[L]) => Row;

/** How each layer's record becomes a row; the key says which column makes a row unique. */
const WRITERS: { [L in RecordLayer]: { table: string; key: string[] | null; row: ToRow<L> } } = {
	streets: {
		table: 'streets',
		key: ['code'],
		row: (k, r) => ({ code: r.code, name: r.name, kind: r.kind, geom: multi(k, r.geometry) })
	},
	communities: {
		table: 'communities',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			street_id: idOf(k, 'streets', r.street_code),
			geom: multi(k, r.geometry)
		})
	},
	grids: {
		table: 'grids',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			community_id: idOf(k, 'communities', r.community_code),
			geom: multi(k, r.geometry)
		})
	},
	compounds: {
		table: 'compounds',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			community_id: idOf(k, 'communities', r.community_code),
			is_old: r.is_old,
			has_party_branch: r.has_party_branch,
			property_company: r.property_company,
			is_red_property: r.is_red_property,
			geom: multi(k, r.geometry)
		})
	},
	buildings: {
		table: 'buildings',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			address: r.address,
			floors: r.floors,
			households: r.households,
			geom: multi(k, r.geometry)
		})
	},
	departments: {
		table: 'departments',
		key: ['code'],
		row: (_k, r) => ({ code: r.code, name: r.name })
	},
	liaisons: {
		table: 'community_liaisons',
		key: ['community_id', 'department_id'],
		row: (k, r) => ({
			community_id: idOf(k, 'communities', r.community_code),
			department_id: idOf(k, 'departments', r.department_code),
			is_lead: r.is_lead
		})
	},
	people: {
		table: 'people',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			phone: r.phone,
			is_party_member: r.is_party_member,
			department_id: idOf(k, 'departments', r.department_code)
		})
	},
	assignments: {
		table: 'assignments',
		key: null,
		row: (k, r) => ({
			person_id: idOf(k, 'people', r.person_code),
			role: r.role,
			[`${r.level}_id`]: idOf(k, LEVEL_TABLE[r.level], r.target_code),
			valid_from: r.valid_from,
			valid_to: r.valid_to
		})
	},
	issues: {
		table: 'issues',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			title: r.title,
			category: r.category,
			matter_type: r.matter_type,
			urgency: r.urgency,
			status: r.status,
			source: r.source,
			reported_at: r.reported_at,
			due_at: r.due_at,
			resolved_on_site: r.resolved_on_site,
			building_id: idOf(k, 'buildings', r.building_code),
			geom: single(k, r.geometry)
		})
	},
	issue_events: {
		table: 'issue_events',
		key: null,
		row: (k, r) => ({
			issue_id: idOf(k, 'issues', r.issue_code),
			at: r.at,
			actor_id: idOf(k, 'people', r.actor_code),
			from_status: r.from_status,
			to_status: r.to_status,
			note: r.note
		})
	},
	renovation: {
		table: 'renovation_projects',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			status: r.status,
			batch: r.batch,
			budget_yuan: r.budget_yuan,
			funds_secured_yuan: r.funds_secured_yuan,
			spent_yuan: r.spent_yuan,
			start_date: r.start_date,
			end_date: r.end_date,
			progress_pct: r.progress_pct,
			is_demonstration: r.is_demonstration,
			party_branch_set_up: r.party_branch_set_up,
			red_property: r.red_property,
			// A ledger imported with a status and dates has reached its stages on them (issue 11),
			// unless it names the day of each stage.
			planned_on: r.stages?.planned ?? null,
			approved_on: r.stages?.approved ?? null,
			construction_on: r.stages?.under_construction ?? (['under_construction', 'completed', 'accepted'].includes(r.status) ? r.start_date : null),
			completed_on: r.stages?.completed ?? (['completed', 'accepted'].includes(r.status) ? r.end_date : null),
			accepted_on: r.stages?.accepted ?? null,
			geom: multi(k, r.geometry)
		})
	},
	flood: {
		table: 'flood_spots',
		key: ['code'],
		row: (k, r) => ({
			code: r.code,
			name: r.name,
			cause: r.cause,
			severity: r.severity,
			status: r.status,
			issue_id: idOf(k, 'issues', r.issue_code),
			project_id: idOf(k, 'renovation_projects', r.project_code),
			geom: single(k, r.geometry)
		})
	},
	flood_incidents: {
		table: 'flood_incidents',
		key: null,
		row: (k, r) => ({
			flood_spot_id: idOf(k, 'flood_spots', r.flood_code),
			occurred_on: r.occurred_on,
			depth_cm: r.depth_cm,
			rainfall_mm: r.rainfall_mm
		})
	}
};

export function tableOf(layer: RecordLayer): string {
	return WRITERS[layer].table;
}

/**
 * Writes records of one layer in batches. Keyed layers upsert (a second write of the same
 * code updates the row); unkeyed ones (events, incidents, assignments) append.
 */
export async function writeRecords<L extends RecordLayer>(
	trx: Knex,
	layer: L,
	records: Iterable<LayerRecords[L]>
): Promise<number> {
	const writer = WRITERS[layer] as unknown as { table: string; key: string[] | null; row: ToRow<L> };
	let batch: Row[] = [];
	let written = 0;
	const flush = async () => {
		if (!batch.length) return;
		const insert = trx(writer.table).insert(batch);
		if (writer.key) {
			const columns = Object.keys(batch[0]).filter((c) => !writer.key!.includes(c));
			await insert.onConflict(writer.key).merge(columns);
		} else {
			await insert;
		}
		written += batch.length;
		batch = [];
	};
	for (const record of records) {
		const row = writer.row(trx, record);
		if (hasUpdatedAt(layer)) row.updated_at = trx.fn.now();
		batch.push(row);
		if (batch.length >= BATCH) await flush();
	}
	await flush();
	return written;
}

function hasUpdatedAt(layer: RecordLayer): boolean {
	return !['liaisons', 'assignments', 'issue_events', 'flood_incidents'].includes(layer);
}
