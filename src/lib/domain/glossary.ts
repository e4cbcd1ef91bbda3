/**
 * The domain glossary as code (DESIGN §2): area levels, roles, issue categories, 五事分流
 * matter types, urgencies and statuses, renovation and flood vocabularies. The English names
 * are the codes stored in the database; the Chinese names live in the i18n label table.
 */

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
	'backlog',
	/** the reporter found it not fixed and reopened it within 14 days of its resolution (issue 21) */
	'reopened'
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/**
 * How much of a category's cases leaves the server for the public (Open311, the public form's
 * duplicate hint): the point exactly, rounded to about 100 m, withheld, or nothing at all
 * (migration 20261207_1100 says what each shows).
 */
export const PUBLICATIONS = ['exact', 'approximate', 'withheld', 'internal'] as const;
export type Publication = (typeof PUBLICATIONS)[number];

export const ISSUE_SOURCES = ['patrol', 'resident', 'joint_meeting', 'hotline', 'department'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];

export const RENOVATION_STATUSES = ['planned', 'approved', 'under_construction', 'completed', 'accepted'] as const;
export type RenovationStatus = (typeof RENOVATION_STATUSES)[number];

export const FLOOD_CAUSES = ['low_lying', 'backflow', 'drainage'] as const;
export type FloodCause = (typeof FLOOD_CAUSES)[number];
export const FLOOD_SEVERITIES = ['low', 'medium', 'high'] as const;
export type FloodSeverity = (typeof FLOOD_SEVERITIES)[number];
export const FLOOD_STATUSES = ['active', 'monitoring', 'fixed'] as const;
export type FloodStatus = (typeof FLOOD_STATUSES)[number];
