/**
 * The records of the Hejiang sample, as the generator writes them and the loader reads them.
 * One interface per layer; geometry is GeoJSON in WGS84, coordinates [lng, lat].
 * Codes are text and link the layers (a grid names its community by code, and so on).
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';

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

export const ROLES = [
	'building_head', // 楼栋长
	'party_group_leader', // 党小组长
	'grid_worker', // 网格员
	'registered_party_member', // 双报到党员
	'community_secretary', // 社区党委书记
	'first_secretary', // 社区第一书记
	'street_secretary', // 街道党工委书记
	'compound_branch_secretary' // 小区党支部书记
] as const;
export type Role = (typeof ROLES)[number];

export const AREA_LEVELS = ['street', 'community', 'grid', 'compound', 'building'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export interface AssignmentRecord {
	person_code: string;
	role: Role;
	level: AreaLevel;
	target_code: string;
	valid_from: string; // YYYY-MM-DD
	valid_to: string | null;
}

export const ISSUE_CATEGORIES = [
	'environment', // 环境卫生
	'infrastructure', // 基础设施
	'parking', // 停车管理
	'property_management', // 物业管理
	'safety_hazard', // 安全隐患
	'dispute', // 矛盾纠纷
	'public_service', // 民生服务
	'illegal_construction', // 违章建筑
	'municipal_facility', // 市政设施
	'drainage', // 排水防涝
	'greenery', // 绿化养护
	'noise' // 噪音扰民
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

/** 五事分流 */
export const MATTER_TYPES = ['major', 'practical', 'important', 'urgent', 'difficult'] as const;
export type MatterType = (typeof MATTER_TYPES)[number];

export const URGENCIES = ['general', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const ISSUE_STATUSES = [
	'reported',
	'registered',
	'rejected',
	'dispatched',
	'in_progress',
	'resolved',
	'verified',
	'closed',
	'returned',
	'escalated',
	'backlog'
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const ISSUE_SOURCES = ['patrol', 'resident', 'joint_meeting', 'hotline', 'department'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];

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

export const RENOVATION_STATUSES = ['planned', 'approved', 'under_construction', 'completed', 'accepted'] as const;
export type RenovationStatus = (typeof RENOVATION_STATUSES)[number];

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
	geometry: MultiPolygon;
}

export const FLOOD_CAUSES = ['low_lying', 'backflow', 'drainage'] as const;
export type FloodCause = (typeof FLOOD_CAUSES)[number];
export const FLOOD_SEVERITIES = ['low', 'medium', 'high'] as const;
export type FloodSeverity = (typeof FLOOD_SEVERITIES)[number];
export const FLOOD_STATUSES = ['active', 'monitoring', 'fixed'] as const;
export type FloodStatus = (typeof FLOOD_STATUSES)[number];

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
export interface SampleLayers {
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
export type SampleLayer = keyof SampleLayers;
export const SAMPLE_LAYERS: SampleLayer[] = [
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
