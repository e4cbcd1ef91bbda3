/**
 * The records of each layer, as the sample generator writes them and the loader and the
 * import read them. One interface per layer; geometry is GeoJSON in WGS84, coordinates
 * [lng, lat]. Codes are text and link the layers (a grid names its community by code, …).
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { AreaLevel, FloodCause, FloodSeverity, FloodStatus, IssueCategory, IssueSource, IssueStatus, MatterType, RenovationStatus, Role, Urgency } from './glossary.js';

export interface StreetRecord {
	code: string;
	name: string;
	/** 街道 street, 镇 town, 乡 township: the same level of the hierarchy. */
	kind: 'street' | 'town' | 'township';
	geometry: MultiPolygon;
}

export interface CommunityRecord {
	code: string;
	name: string;
	street_code: string;
	geometry: MultiPolygon;
}

export interface GridRecord {
	code: string;
	name: string;
	community_code: string;
	geometry: MultiPolygon;
}

export interface CompoundRecord {
	code: string;
	name: string;
	community_code: string;
	/** 老旧小区 */
	is_old: boolean;
	/** 小区党支部 set up */
	has_party_branch: boolean;
	property_company: string | null;
	/** 红色物业 */
	is_red_property: boolean;
	geometry: MultiPolygon;
}

export interface BuildingRecord {
	code: string;
	name: string;
	address: string;
	floors: number;
	households: number;
	/** Grid and compound are not here: they are derived from the footprint in the database. */
	geometry: MultiPolygon;
}

export interface DepartmentRecord {
	code: string;
	name: string;
}

/** A community's N liaison departments (联系单位), one of them the lead unit (牵头单位). */
export interface LiaisonRecord {
	community_code: string;
	department_code: string;
	is_lead: boolean;
}

export interface PersonRecord {
	code: string;
	name: string;
	phone: string;
	is_party_member: boolean;
	/** the person's unit, for county leaders and in-service party members */
	department_code: string | null;
}

export interface AssignmentRecord {
	person_code: string;
	role: Role;
	level: AreaLevel;
	target_code: string;
	valid_from: string; // YYYY-MM-DD
	valid_to: string | null;
}

export interface IssueRecord {
	code: string;
	title: string;
	category: IssueCategory;
	matter_type: MatterType;
	urgency: Urgency;
	status: IssueStatus;
	source: IssueSource;
	reported_at: string; // ISO timestamp, UTC
	due_at: string | null;
	/** 现场办公解决: resolved on the spot at a joint meeting or visit */
	resolved_on_site: boolean;
	building_code: string | null;
	geometry: Point;
}

export interface IssueEventRecord {
	issue_code: string;
	at: string;
	actor_code: string | null;
	from_status: IssueStatus | null;
	to_status: IssueStatus;
	note: string | null;
}

export interface RenovationRecord {
	code: string;
	name: string;
	status: RenovationStatus;
	/** 1: the 18 old areas; 2: the 16 areas of the ¥280M programme */
	batch: number;
	budget_yuan: number;
	funds_secured_yuan: number;
	spent_yuan: number;
	start_date: string | null;
	end_date: string | null;
	progress_pct: number;
	is_demonstration: boolean;
	party_branch_set_up: boolean;
	red_property: boolean;
	/**
	 * The day (YYYY-MM-DD) each stage reached was reached; without it a stage under way or
	 * finished dates from start_date and end_date (issue 11).
	 */
	stages?: Partial<Record<RenovationStatus, string>>;
	geometry: MultiPolygon;
}

export interface FloodSpotRecord {
	code: string;
	name: string;
	cause: FloodCause;
	severity: FloodSeverity;
	status: FloodStatus;
	issue_code: string | null;
	project_code: string | null;
	geometry: Point | Polygon | MultiPolygon;
}

export interface FloodIncidentRecord {
	flood_code: string;
	occurred_on: string; // YYYY-MM-DD
	depth_cm: number;
	rainfall_mm: number;
}

/** Every layer of the sample, in load order (parents before children). */
export interface LayerRecords {
	streets: StreetRecord;
	communities: CommunityRecord;
	grids: GridRecord;
	compounds: CompoundRecord;
	buildings: BuildingRecord;
	departments: DepartmentRecord;
	liaisons: LiaisonRecord;
	people: PersonRecord;
	assignments: AssignmentRecord;
	issues: IssueRecord;
	issue_events: IssueEventRecord;
	renovation: RenovationRecord;
	flood: FloodSpotRecord;
	flood_incidents: FloodIncidentRecord;
}
export type RecordLayer = keyof LayerRecords;
export const RECORD_LAYERS: RecordLayer[] = [
	'streets',
	'communities',
	'grids',
	'compounds',
	'buildings',
	'departments',
	'liaisons',
	'people',
	'assignments',
	'issues',
	'issue_events',
	'renovation',
	'flood',
	'flood_incidents'
];
