/**
 * The JSON the map page reads, as the HTTP API answers it (issue 3). Declared here rather
 * than imported from `$lib/server`, which the client bundle may not touch.
 */
import type { AreaLevel, IssueCategory, IssueStatus, MatterType, Role, Urgency } from '$lib/domain/glossary';

/** [west, south, east, north] in WGS84 */
export type Bbox = [number, number, number, number];

export interface AreaRef {
	level: AreaLevel;
	code: string;
	name: string;
}

export interface IssueCounts {
	total: number;
	overdue: number;
	by_status: Partial<Record<IssueStatus, number>>;
	by_category: Partial<Record<IssueCategory, number>>;
	by_matter_type: Partial<Record<MatterType, number>>;
}

/** GET /api/areas/{level}/{code} and /api/areas/at */
export interface AreaDetail extends AreaRef {
	/** from the top: street, community, grid, compound */
	parents: AreaRef[];
	bbox: Bbox;
	/** null for a caller who may see outlines only (not signed in) */
	households: number | null;
	buildings: number | null;
	/** true when the figures cover only the caller's territory */
	partial?: boolean;
	counts: IssueCounts | null;
	people: { role: Role; code: string; name: string }[];
	/** liaison units; communities only */
	departments?: { code: string; name: string; is_lead: boolean }[];
}

export interface AreaIssue {
	code: string;
	title: string;
	status: IssueStatus;
	category: IssueCategory;
	matter_type: MatterType;
	urgency: Urgency;
	reported_at: string;
	due_at: string | null;
	overdue: boolean;
	lng: number;
	lat: number;
}

/** GET /api/areas/{level}/{code}/issues */
export interface AreaIssuePage {
	total: number;
	page: number;
	limit: number;
	items: AreaIssue[];
}

export type SearchKind = AreaLevel | 'person';

export interface SearchResult {
	kind: SearchKind;
	code: string;
	name: string;
	subtitle: string | null;
	bbox: Bbox;
	/** a person's current assignments */
	assignments?: { role: Role; level: AreaLevel; code: string; name: string }[];
}

/** The signed-in user as the page knows them. */
export interface PageUser {
	username: string;
	role: string;
}

export type ChoroplethLevel = 'grid' | 'community';
export type ChoroplethMetric = 'issues_per_100_households' | 'overdue' | 'households_per_worker' | 'buildings_without_head' | 'visit_coverage';

/** GET /api/choropleth */
export interface ChoroplethData {
	level: ChoroplethLevel;
	metric: ChoroplethMetric;
	/** the month of visit_coverage, YYYY-MM */
	month?: string;
	values: { code: string; value: number | null }[];
	breaks: number[];
}
