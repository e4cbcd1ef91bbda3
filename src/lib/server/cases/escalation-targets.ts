/**
 * The departments a case may be escalated to (社区吹哨), in the order a community looks for
 * them: the liaison departments (联系单位) of the community the case lies in — the lead unit
 * (牵头单位) first — then every other department by code. Each liaison carries its deputy
 * (联络员), whom the community would call.
 */
import type { Knex } from 'knex';

export interface EscalationTarget {
	code: string;
	name: string;
	/** a liaison department of the case's community */
	liaison: boolean;
	/** its lead unit */
	lead: boolean;
	/** the liaison's deputy, when one is named */
	deputy: string | null;
}

/** Every department, the case's community's liaison departments first; `code` is the case's. */
export async function escalationTargets(knex: Knex, caseCode: string): Promise<EscalationTarget[]> {
	const { rows } = await knex.raw(
		`WITH community AS (
			SELECT cc.id FROM issues i, LATERAL covering_community(i.geom) cc WHERE i.code = :code LIMIT 1
		 )
		 SELECT d.code, d.name, l.id IS NOT NULL AS liaison, COALESCE(l.is_lead, false) AS lead, p.name AS deputy
		 FROM departments d
		 LEFT JOIN community_liaisons l ON l.department_id = d.id AND l.community_id = (SELECT id FROM community)
		 LEFT JOIN people p ON p.id = l.deputy_person_id
		 ORDER BY (l.id IS NOT NULL) DESC, COALESCE(l.is_lead, false) DESC, d.code`,
		{ code: caseCode }
	);
	return rows;
}
