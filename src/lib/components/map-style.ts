/**
 * Colours and zoom ranges of the map, shared by the layer components and the legend so the
 * two cannot drift apart.
 */
import type { FloodSeverity, RenovationStatus } from '$lib/domain/glossary';
import { FINISHED_STATUSES } from '$lib/domain/issues';
import type { ExpressionSpecification } from 'maplibre-gl';

/** Fonts that draw Chinese, tried in order: Debian/Ubuntu's Noto CJK, then Windows and macOS. */
export const CJK_FONT_FAMILIES =
	"'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei', sans-serif";

export const COUNTY_SEAT: [number, number] = [105.826, 28.812];
export const COUNTY_SEAT_ZOOM = 13.5;

export const BOUNDARY = {
	streets: { color: '#7a5c2e', width: 3, labelColor: '#5c4219', labelSize: 17, minzoom: 8, labelMinzoom: 8, labelMaxzoom: 13.2 },
	communities: { color: '#3b6e4f', width: 1.8, labelColor: '#1f4d33', labelSize: 14, minzoom: 10, labelMinzoom: 11.5, labelMaxzoom: 15.5 },
	grids: { color: '#7d8fa3', width: 0.9, labelColor: '#4a5a6b', labelSize: 11, minzoom: 12, labelMinzoom: 15, labelMaxzoom: 24 }
} as const;
export type BoundaryLayer = keyof typeof BOUNDARY;

export const COMPOUND_COLORS = { fill: '#e6e2d8', old: '#f3d9b1', line: '#a39e92' } as const;
export const BUILDING_COLORS = { low: '#c5cfdb', high: '#5b6f8c', line: '#8a97a8' } as const;
/** Buildings draw flat from z14 and stand up by their floors from z15. */
export const BUILDING_EXTRUSION_MINZOOM = 15;
export const METRES_PER_FLOOR = 3;

export const ISSUE_COLORS = { open: '#f59f00', overdue: '#e03131', finished: '#2f9e44' } as const;
/** Issues show as a heat map below this zoom, as circles from it. */
export const ISSUE_CIRCLE_MINZOOM = 14;

/** open / overdue / finished, from the tile properties `overdue` and `status` */
export const issueColor: ExpressionSpecification = [
	'case',
	['==', ['get', 'overdue'], true],
	ISSUE_COLORS.overdue,
	['in', ['get', 'status'], ['literal', [...FINISHED_STATUSES]]],
	ISSUE_COLORS.finished,
	ISSUE_COLORS.open
];

export const RENOVATION_COLORS: Record<RenovationStatus, string> = {
	planned: '#b197fc',
	approved: '#7048e8',
	under_construction: '#f76707',
	completed: '#1c7ed6',
	accepted: '#0b7285'
};

export const FLOOD_COLORS: Record<FloodSeverity, string> = {
	low: '#74c0fc',
	medium: '#1c7ed6',
	high: '#0b2e6b'
};

export const SELECTION_COLOR = '#d6336c';

/** `match` on a property over a code → colour table, with a fallback colour. */
export function matchColor(property: string, colors: Record<string, string>, fallback: string): ExpressionSpecification {
	return ['match', ['get', property], ...Object.entries(colors).flat(), fallback] as unknown as ExpressionSpecification;
}

/**
 * The field worker's buildings (issue 13), one colour by what needs doing first: a rain check
 * due, then open cases, then a missing building head; a visit this month rings the marker
 * green. Dark enough for white text and for sunlight (each ≥ 4.5:1 against white).
 */
/**
 * The character inside each field marker (issue 21: shapes as well as colours): read by the map
 * and the legend alike. CJK characters, which the map draws with the phone's own fonts.
 */
export const FIELD_MARKS = { rainCheckDue: '雨', openCases: '问', headsMissing: '缺', nothingDue: '' } as const;

export const FIELD_COLORS = {
	rainCheckDue: '#1864ab',
	openCases: '#c92a2a',
	headsMissing: '#a34700',
	nothingDue: '#495057',
	/** the fill of a marker with nothing due: hollow, so it cannot pass for a visited one */
	nothingDueFill: '#ffffff',
	visited: '#2b8a3e',
	territory: '#1c4f8c',
	mask: '#1f2933',
	walk: '#1c7ed6'
} as const;
