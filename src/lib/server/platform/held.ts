/**
 * The one rule for "this assignment is held on a day": valid_from on or before it, and
 * valid_to (exclusive: the first day no longer held) absent or after it. Every query that
 * asks who holds a role today, or on a past day, builds its predicate here.
 */
export function held(alias: string, day = 'current_date'): string {
	return `${alias}.valid_from <= ${day} AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > ${day})`;
}
