/**
 * The shapes of the HTTP API's answers, for the browser: the one module of src/lib/server that
 * browser code may import, and only with `import type` (erased from the bundle; the import
 * rules of .dependency-cruiser.cjs and tests/unit/browser-imports.test.ts hold it to that).
 * Shapes the domain modules declare are re-exported from them; the rest are declared here, as
 * the endpoints answer them. Nothing here is a value: it must not pull server code in.
 */
import type { IssueCategory, IssueStatus, MatterType, Role, Urgency } from '../domain/glossary.js';
import type { AreaRef } from './areas/areas.js';

export type { AreaRef } from './areas/areas.js';
export type { SearchKind, SearchResult } from './areas/search.js';
export type { Choropleth as ChoroplethData, ChoroplethLevel, ChoroplethMetric } from './areas/choropleth.js';
export type { Impact } from './areas/boundaries.js';
export type { ReporterStep, ReporterView } from './cases/case-reporter.js';
export type { LedgerRow, LedgerTotals } from './renovation/renovation.js';
export type { FloodSpotRecord } from './flood/flood.js';
export type { AlertArea, AlertPreview, AlertScope, AlertSummary, GridProgress, Person as AlertPerson } from './flood/rain-alerts.js';
export type { CommunityEvaluation, DepartmentEvaluation } from './governance/evaluation.js';
export type { Match } from './governance/service-lists.js';

/** [west, south, east, north] in WGS84 */
export type Bbox = [number, number, number, number];

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

/** The signed-in user as the page knows them. */
export interface PageUser {
	username: string;
	role: string;
}
