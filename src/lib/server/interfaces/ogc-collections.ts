/**
 * The collections of the OGC API – Features interface (ogc.ts): one per map layer, each a
 * table with the properties a desktop GIS gets and may filter on. This table is the allow-list
 * of everything a request can name — a property, a filter, a sort key — so nothing a client
 * writes ever reaches SQL as text: a request names a property, the SQL comes from here.
 *
 * Territory follows the tiles (tiles.ts TILE_LAYERS): outline layers are reference geography
 * everyone reads, data layers are narrowed to the caller's territory by the same column and
 * shape, so a GIS sees exactly what the map shows the same account.
 */
import {
	FLOOD_CAUSES,
	FLOOD_SEVERITIES,
	FLOOD_STATUSES,
	ISSUE_CATEGORIES,
	ISSUE_SOURCES,
	ISSUE_STATUSES,
	MATTER_TYPES,
	RENOVATION_STATUSES,
	URGENCIES
} from '../../domain/glossary.js';
import { overdueSql } from '../../domain/issues.js';
import { label } from '../../i18n.js';
import { TILE_LAYERS, type TileLayerName } from '../tiles/tiles.js';
import type { Shape } from '../ownership/territory.js';

/** JSON Schema types a queryable has (OGC API – Features Part 3 §6.2). */
export type PropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'date-time';

export interface OgcProperty {
	/** SQL over the row `t`, from code only */
	sql: string;
	type: PropertyType;
	/** Chinese first, English after a slash */
	title: string;
	/** the codes a string property takes, when a fixed list */
	values?: readonly string[];
}

/** How a layer's features are placed in time, for `datetime`. */
type Temporal = { instant: string } | { start: string; end: string };

export interface OgcCollection {
	id: TileLayerName;
	title: string;
	description: string;
	table: string;
	/** the feature id in URLs: the row's code, unique in its table */
	featureId: string;
	/** the geometry type a queryables document names (Part 3: x-ogc-role primary-geometry) */
	geometryFormat: string;
	properties: Record<string, OgcProperty>;
	time?: Temporal;
	/** the column and shape the caller's territory filters by; none for outline layers */
	territory?: { column: string; shape: Shape };
}

const title = (zh: string, en: string) => `${zh} / ${en}`;
const codeOf = (table: string, column: string) => `(SELECT x.code FROM ${table} x WHERE x.id = t.${column})`;

const CODE: OgcProperty = { sql: 't.code', type: 'string', title: title('编码', 'code') };
const NAME: OgcProperty = { sql: 't.name', type: 'string', title: title('名称', 'name') };

function layer(id: TileLayerName, description: string, geometryFormat: string, properties: Record<string, OgcProperty>, time?: Temporal): OgcCollection {
	const tile = TILE_LAYERS[id] as { table: string; territory?: { column: string; shape: Shape } };
	return {
		id,
		title: title(label('zh', 'layer', id), label('en', 'layer', id)),
		description,
		table: tile.table,
		featureId: 't.code',
		geometryFormat,
		properties,
		time,
		territory: tile.territory
	};
}

export const OGC_COLLECTIONS: readonly OgcCollection[] = [
	layer('streets', '街道（乡镇）边界 / Street (township) boundaries', 'geometry-multipolygon', {
		code: CODE,
		name: NAME,
		kind: { sql: 't.kind', type: 'string', title: title('类型', 'kind') }
	}),
	layer('communities', '社区边界 / Community boundaries', 'geometry-multipolygon', {
		code: CODE,
		name: NAME,
		street_code: { sql: codeOf('streets', 'street_id'), type: 'string', title: title('所属街道', 'street code') }
	}),
	layer('grids', '网格边界 / Grid boundaries', 'geometry-multipolygon', {
		code: CODE,
		name: NAME,
		community_code: { sql: codeOf('communities', 'community_id'), type: 'string', title: title('所属社区', 'community code') }
	}),
	layer('compounds', '小区（院落）边界 / Residential compounds', 'geometry-multipolygon', {
		code: CODE,
		name: NAME,
		community_code: { sql: codeOf('communities', 'community_id'), type: 'string', title: title('所属社区', 'community code') },
		is_old: { sql: 't.is_old', type: 'boolean', title: title('老旧小区', 'old compound') },
		has_party_branch: { sql: 't.has_party_branch', type: 'boolean', title: title('有党支部', 'has a party branch') },
		is_red_property: { sql: 't.is_red_property', type: 'boolean', title: title('红色物业', 'red property') },
		property_company: { sql: 't.property_company', type: 'string', title: title('物业公司', 'property company') }
	}),
	layer('buildings', '楼栋轮廓；按锚点归属 / Building footprints, placed by their anchor point', 'geometry-multipolygon', {
		code: CODE,
		name: NAME,
		address: { sql: 't.address', type: 'string', title: title('地址', 'address') },
		floors: { sql: 't.floors', type: 'integer', title: title('层数', 'floors') },
		households: { sql: 't.households', type: 'integer', title: title('户数', 'households') },
		grid_code: { sql: codeOf('grids', 'grid_id'), type: 'string', title: title('所属网格', 'grid code') },
		compound_code: { sql: codeOf('compounds', 'compound_id'), type: 'string', title: title('所属小区', 'compound code') }
	}),
	layer(
		'issues',
		'问题（案件）点位；不含上报人信息 / Cases (issue points), without the reporter’s details',
		'geometry-point',
		{
			code: CODE,
			title: { sql: 't.title', type: 'string', title: title('标题', 'title') },
			category: { sql: 't.category', type: 'string', title: title('类别', 'category'), values: ISSUE_CATEGORIES },
			matter_type: { sql: 't.matter_type', type: 'string', title: title('五事分流', 'matter type'), values: MATTER_TYPES },
			urgency: { sql: 't.urgency', type: 'string', title: title('紧急程度', 'urgency'), values: URGENCIES },
			status: { sql: 't.status', type: 'string', title: title('状态', 'status'), values: ISSUE_STATUSES },
			source: { sql: 't.source', type: 'string', title: title('来源', 'source'), values: ISSUE_SOURCES },
			reported_at: { sql: 't.reported_at', type: 'date-time', title: title('上报时间', 'reported at') },
			due_at: { sql: 't.due_at', type: 'date-time', title: title('办理时限', 'due at') },
			overdue: { sql: overdueSql('t'), type: 'boolean', title: title('已超期', 'overdue') },
			resolved_on_site: { sql: 't.resolved_on_site', type: 'boolean', title: title('即知即办', 'resolved on site') },
			address: { sql: 't.address', type: 'string', title: title('地址', 'address') },
			building_code: { sql: codeOf('buildings', 'building_id'), type: 'string', title: title('所在楼栋', 'building code') }
		},
		{ instant: 't.reported_at' }
	),
	layer(
		'renovation',
		'老旧小区改造项目 / Old-compound renovation projects',
		'geometry-multipolygon',
		{
			code: CODE,
			name: NAME,
			status: { sql: 't.status', type: 'string', title: title('状态', 'status'), values: RENOVATION_STATUSES },
			batch: { sql: 't.batch', type: 'integer', title: title('批次', 'batch') },
			budget_yuan: { sql: 't.budget_yuan', type: 'integer', title: title('预算（元）', 'budget (yuan)') },
			funds_secured_yuan: { sql: 't.funds_secured_yuan', type: 'integer', title: title('到位资金（元）', 'funds secured (yuan)') },
			spent_yuan: { sql: 't.spent_yuan', type: 'integer', title: title('已支出（元）', 'spent (yuan)') },
			progress_pct: { sql: 't.progress_pct', type: 'integer', title: title('进度（%）', 'progress (%)') },
			start_date: { sql: 't.start_date', type: 'date', title: title('开工日期', 'start date') },
			end_date: { sql: 't.end_date', type: 'date', title: title('完工日期', 'end date') },
			is_demonstration: { sql: 't.is_demonstration', type: 'boolean', title: title('示范项目', 'demonstration project') },
			contractor: { sql: 't.contractor', type: 'string', title: title('施工单位', 'contractor') }
		},
		{ start: 't.start_date', end: 't.end_date' }
	),
	layer('flood', '积水点 / Flood spots', 'geometry-point', {
		code: CODE,
		name: NAME,
		cause: { sql: 't.cause', type: 'string', title: title('成因', 'cause'), values: FLOOD_CAUSES },
		severity: { sql: 't.severity', type: 'string', title: title('严重程度', 'severity'), values: FLOOD_SEVERITIES },
		status: { sql: 't.status', type: 'string', title: title('状态', 'status'), values: FLOOD_STATUSES },
		issue_code: { sql: codeOf('issues', 'issue_id'), type: 'string', title: title('关联案件', 'case code') },
		project_code: { sql: codeOf('renovation_projects', 'project_id'), type: 'string', title: title('关联改造项目', 'renovation project code') }
	})
];

export const OGC_COLLECTION_IDS = OGC_COLLECTIONS.map((c) => c.id);

const BY_ID = new Map(OGC_COLLECTIONS.map((c) => [c.id as string, c]));

/** A collection by id, or undefined (never a prototype key). */
export function collectionOf(id: string): OgcCollection | undefined {
	return BY_ID.get(id);
}
