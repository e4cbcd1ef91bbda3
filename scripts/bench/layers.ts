/**
 * How each generated layer goes into PostGIS in bulk: the columns of its UNLOGGED staging
 * table (codes still as text, geometry already typed, so COPY does all the parsing) and the
 * one INSERT … SELECT that maps it into the real table.
 *
 * Same semantics as WRITERS in src/lib/server/areas/record-writers.ts: the same columns, ST_Multi on the
 * polygon layers, a code → id lookup per reference (a missing code gives NULL, which a NOT
 * NULL column rejects just as the upsert does). The lookups are correlated subqueries on the
 * unique code index rather than joins: the staging table is then read in generator order and
 * the rows keep that order on disk (the generator works cell by cell, so neighbours stay
 * together, which is what tile queries want), whatever the hash-join batching would do.
 */
import type { RecordLayer, LayerRecords } from '../../src/lib/domain/records.js';
import { LEVEL_TABLE } from '../../src/lib/server/platform/tables.js';
import { toHexEwkb } from './ewkb.js';

type Value = string | number | boolean | null | undefined;

export interface StageColumn<R> {
	name: string;
	/** the staging column's type: the final type where no mapping is needed */
	type: string;
	value: (r: R) => Value;
}

export interface LayerLoad<R> {
	table: string;
	stage: StageColumn<R>[];
	/** final column → SQL expression over the staging row `s` */
	select: Record<string, string>;
	/** layers whose ids this one looks up (they must be loaded first) */
	needs: RecordLayer[];
}

const text = <R>(name: string, value: (r: R) => Value): StageColumn<R> => ({ name, type: 'text', value });
const col = <R>(name: string, type: string, value: (r: R) => Value): StageColumn<R> => ({ name, type, value });
const geom = <R extends { geometry: Parameters<typeof toHexEwkb>[0] }>(): StageColumn<R> => ({
	name: 'geom',
	type: 'geometry',
	value: (r) => toHexEwkb(r.geometry)
});
const idOf = (table: string, codeExpr: string) => `(SELECT id FROM ${table} WHERE code = ${codeExpr})`;
/** the staging columns copied unchanged */
const same = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `s.${n}`]));


export const LAYER_LOADS: { [L in RecordLayer]: LayerLoad<LayerRecords[L]> } = {
	streets: {
		table: 'streets',
		stage: [text('code', (r) => r.code), text('name', (r) => r.name), text('kind', (r) => r.kind), geom()],
		select: { ...same('code', 'name', 'kind'), geom: 'ST_Multi(s.geom)' },
		needs: []
	},
	communities: {
		table: 'communities',
		stage: [text('code', (r) => r.code), text('name', (r) => r.name), text('street_code', (r) => r.street_code), geom()],
		select: { ...same('code', 'name'), street_id: idOf('streets', 's.street_code'), geom: 'ST_Multi(s.geom)' },
		needs: ['streets']
	},
	grids: {
		table: 'grids',
		stage: [text('code', (r) => r.code), text('name', (r) => r.name), text('community_code', (r) => r.community_code), geom()],
		select: { ...same('code', 'name'), community_id: idOf('communities', 's.community_code'), geom: 'ST_Multi(s.geom)' },
		needs: ['communities']
	},
	compounds: {
		table: 'compounds',
		stage: [
			text('code', (r) => r.code),
			text('name', (r) => r.name),
			text('community_code', (r) => r.community_code),
			col('is_old', 'boolean', (r) => r.is_old),
			col('has_party_branch', 'boolean', (r) => r.has_party_branch),
			text('property_company', (r) => r.property_company),
			col('is_red_property', 'boolean', (r) => r.is_red_property),
			geom()
		],
		select: {
			...same('code', 'name', 'is_old', 'has_party_branch', 'property_company', 'is_red_property'),
			community_id: idOf('communities', 's.community_code'),
			geom: 'ST_Multi(s.geom)'
		},
		needs: ['communities']
	},
	buildings: {
		table: 'buildings',
		stage: [
			text('code', (r) => r.code),
			text('name', (r) => r.name),
			text('address', (r) => r.address),
			col('floors', 'integer', (r) => r.floors),
			col('households', 'integer', (r) => r.households),
			geom()
		],
		// The owner rule of the buildings_derive_owner trigger (migration 0170), applied in
		// the insert itself while the trigger is disabled: the grid and compound covering the
		// point on surface, the lowest code on a tie.
		select: {
			...same('code', 'name', 'address', 'floors', 'households'),
			geom: 'ST_Multi(s.geom)',
			grid_id:
				'(SELECT g.id FROM grids g WHERE ST_Covers(g.geom, ST_PointOnSurface(ST_Multi(s.geom))) ORDER BY g.code LIMIT 1)',
			compound_id:
				'(SELECT c.id FROM compounds c WHERE ST_Covers(c.geom, ST_PointOnSurface(ST_Multi(s.geom))) ORDER BY c.code LIMIT 1)'
		},
		needs: ['grids', 'compounds']
	},
	departments: {
		table: 'departments',
		stage: [text('code', (r) => r.code), text('name', (r) => r.name)],
		select: same('code', 'name'),
		needs: []
	},
	liaisons: {
		table: 'community_liaisons',
		stage: [
			text('community_code', (r) => r.community_code),
			text('department_code', (r) => r.department_code),
			col('is_lead', 'boolean', (r) => r.is_lead)
		],
		select: {
			community_id: idOf('communities', 's.community_code'),
			department_id: idOf('departments', 's.department_code'),
			is_lead: 's.is_lead'
		},
		needs: ['communities', 'departments']
	},
	people: {
		table: 'people',
		stage: [
			text('code', (r) => r.code),
			text('name', (r) => r.name),
			text('phone', (r) => r.phone),
			col('is_party_member', 'boolean', (r) => r.is_party_member),
			text('department_code', (r) => r.department_code)
		],
		select: {
			...same('code', 'name', 'phone', 'is_party_member'),
			department_id: idOf('departments', 's.department_code')
		},
		needs: ['departments']
	},
	assignments: {
		table: 'assignments',
		stage: [
			text('person_code', (r) => r.person_code),
			text('role', (r) => r.role),
			text('level', (r) => r.level),
			text('target_code', (r) => r.target_code),
			col('valid_from', 'date', (r) => r.valid_from),
			col('valid_to', 'date', (r) => r.valid_to)
		],
		select: {
			person_id: idOf('people', 's.person_code'),
			role: 's.role',
			// One of five real foreign keys; the CASE only runs the lookup of the level named.
			...Object.fromEntries(
				Object.entries(LEVEL_TABLE).map(([level, table]) => [
					`${level}_id`,
					`CASE WHEN s.level = '${level}' THEN ${idOf(table, 's.target_code')} END`
				])
			),
			...same('valid_from', 'valid_to')
		},
		needs: ['people', 'streets', 'communities', 'grids', 'compounds', 'buildings']
	},
	issues: {
		table: 'issues',
		stage: [
			text('code', (r) => r.code),
			text('title', (r) => r.title),
			text('category', (r) => r.category),
			text('matter_type', (r) => r.matter_type),
			text('urgency', (r) => r.urgency),
			text('status', (r) => r.status),
			text('source', (r) => r.source),
			col('reported_at', 'timestamptz', (r) => r.reported_at),
			col('due_at', 'timestamptz', (r) => r.due_at),
			col('resolved_on_site', 'boolean', (r) => r.resolved_on_site),
			text('building_code', (r) => r.building_code),
			geom()
		],
		select: {
			...same('code', 'title', 'category', 'matter_type', 'urgency', 'status', 'source', 'reported_at', 'due_at'),
			...same('resolved_on_site', 'geom'),
			building_id: idOf('buildings', 's.building_code')
		},
		needs: ['buildings']
	},
	issue_events: {
		table: 'issue_events',
		stage: [
			text('issue_code', (r) => r.issue_code),
			col('at', 'timestamptz', (r) => r.at),
			text('actor_code', (r) => r.actor_code),
			text('from_status', (r) => r.from_status),
			text('to_status', (r) => r.to_status),
			text('note', (r) => r.note)
		],
		select: {
			issue_id: idOf('issues', 's.issue_code'),
			at: 's.at',
			actor_id: idOf('people', 's.actor_code'),
			...same('from_status', 'to_status', 'note')
		},
		needs: ['issues', 'people']
	},
	renovation: {
		table: 'renovation_projects',
		stage: [
			text('code', (r) => r.code),
			text('name', (r) => r.name),
			text('status', (r) => r.status),
			col('batch', 'integer', (r) => r.batch),
			col('budget_yuan', 'bigint', (r) => r.budget_yuan),
			col('funds_secured_yuan', 'bigint', (r) => r.funds_secured_yuan),
			col('spent_yuan', 'bigint', (r) => r.spent_yuan),
			col('start_date', 'date', (r) => r.start_date),
			col('end_date', 'date', (r) => r.end_date),
			col('progress_pct', 'integer', (r) => r.progress_pct),
			col('is_demonstration', 'boolean', (r) => r.is_demonstration),
			col('party_branch_set_up', 'boolean', (r) => r.party_branch_set_up),
			col('red_property', 'boolean', (r) => r.red_property),
			// The day of each stage the generator dated (issue 21), null where it named none.
			col('planned_on', 'date', (r) => r.stages?.planned ?? null),
			col('approved_on', 'date', (r) => r.stages?.approved ?? null),
			col('stage_construction_on', 'date', (r) => r.stages?.under_construction ?? null),
			col('stage_completed_on', 'date', (r) => r.stages?.completed ?? null),
			col('accepted_on', 'date', (r) => r.stages?.accepted ?? null),
			geom()
		],
		select: {
			...same('code', 'name', 'status', 'batch', 'budget_yuan', 'funds_secured_yuan', 'spent_yuan'),
			...same('start_date', 'end_date', 'progress_pct', 'is_demonstration', 'party_branch_set_up', 'red_property'),
			// The stages a status has reached, dated as the sample loader dates them (record-writers.ts):
			// the day the record names for a stage, else the start and end dates for building and completion.
			...same('planned_on', 'approved_on', 'accepted_on'),
			construction_on: "COALESCE(s.stage_construction_on, CASE WHEN s.status IN ('under_construction', 'completed', 'accepted') THEN s.start_date END)",
			completed_on: "COALESCE(s.stage_completed_on, CASE WHEN s.status IN ('completed', 'accepted') THEN s.end_date END)",
			geom: 'ST_Multi(s.geom)'
		},
		needs: []
	},
	flood: {
		table: 'flood_spots',
		stage: [
			text('code', (r) => r.code),
			text('name', (r) => r.name),
			text('cause', (r) => r.cause),
			text('severity', (r) => r.severity),
			text('status', (r) => r.status),
			text('issue_code', (r) => r.issue_code),
			text('project_code', (r) => r.project_code),
			geom()
		],
		select: {
			...same('code', 'name', 'cause', 'severity', 'status', 'geom'),
			issue_id: idOf('issues', 's.issue_code'),
			project_id: idOf('renovation_projects', 's.project_code')
		},
		needs: ['issues', 'renovation']
	},
	flood_incidents: {
		table: 'flood_incidents',
		stage: [
			text('flood_code', (r) => r.flood_code),
			col('occurred_on', 'date', (r) => r.occurred_on),
			col('depth_cm', 'integer', (r) => r.depth_cm),
			col('rainfall_mm', 'numeric', (r) => r.rainfall_mm)
		],
		select: {
			flood_spot_id: idOf('flood_spots', 's.flood_code'),
			...same('occurred_on', 'depth_cm', 'rainfall_mm')
		},
		needs: ['flood']
	}
};

/** One field of COPY's text format: \N for null, backslash escapes for the four specials. */
export function copyField(v: Value): string {
	if (v === null || v === undefined) return '\\N';
	if (typeof v === 'boolean') return v ? 't' : 'f';
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) throw new Error(`non-finite number ${v} in a COPY row`);
		return String(v);
	}
	return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : v;
}
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
