/**
 * What the public may see of a case (issue 20, point 1): the one rule for Open311, the public
 * form's duplicate hint and the reporter's link. A case is published when its category is not
 * internal and it is still open or changed within the publication window; what of it is
 * shown follows its category's publication (glossary PUBLICATIONS): the exact point, the
 * point rounded to 0.001° (about 100 m), or no point. Staff notes never leave; only a reply
 * written as public on a transition does.
 */
import type { Publication } from '../../domain/glossary.js';
import { openSql } from '../../domain/issues.js';

/** Rounding of an approximate point: 0.001° is 111 m north–south and 97 m east–west at Hejiang's 28.8° N. */
export const APPROXIMATE_DECIMALS = 3;

/**
 * How long a finished case stays public after its last change, in days: a resident following
 * their report has three months after it closed; older cases are the county's records, not
 * the public's. An open case is public however old.
 */
export function publicDays(): number {
	const value = Number(process.env.OPEN311_PUBLIC_DAYS ?? 90);
	return Number.isInteger(value) && value >= 0 && value <= 3650 ? value : 90;
}

/** The publication of the category of the case under `alias` (an identifier from code). */
export function publicationSql(alias: string): string {
	return `(SELECT pc.publication FROM case_categories pc WHERE pc.code = ${alias}.category)`;
}

/** Whether the case under `alias` is published at all; binds :public_days. */
export function publishedSql(alias: string): string {
	return `(${publicationSql(alias)} <> 'internal' AND (${openSql(alias)} OR COALESCE(${alias}.updated_at, ${alias}.reported_at) >= now() - make_interval(days => CAST(:public_days AS int))))`;
}

/** A point as the public sees it: exact, rounded, or none. */
export function publicPoint(publication: Publication, lng: number, lat: number): { lng: number; lat: number } | null {
	if (publication === 'exact') return { lng, lat };
	if (publication === 'approximate') {
		const round = (v: number) => Number(v.toFixed(APPROXIMATE_DECIMALS));
		return { lng: round(lng), lat: round(lat) };
	}
	return null;
}

/** Whether the public sees the reporter's own words, address and media of a case: only where its point is exact. */
export function showsText(publication: Publication): boolean {
	return publication === 'exact';
}
