/**
 * 双报到 (issue 14, part 4): in-service party members (在职党员) registered to their home
 * community claim its service items and record the hours given. Shared by the server module
 * and the /dual-reporting page.
 */
import type { ServiceCategory } from './service-lists.js';

/** The most members one service item may need. */
export const SLOTS_MAX = 50;
/** The most hours one claim may record (one member, one day's service). */
export const HOURS_MAX = 24;

export interface MemberFigures {
	id: number;
	name: string;
	department_code: string | null;
	department_name: string | null;
	unit_name: string | null;
	community_code: string;
	community_name: string;
	building_id: number | null;
	building_code: string | null;
	building_name: string | null;
	registered_on: string;
	left_on: string | null;
	items_claimed: number;
	items_done: number;
	hours: number;
	people_served: number;
}

export interface BuildingFigures {
	building_id: number;
	building_code: string;
	building_name: string | null;
	community_name: string;
	/** members living there who have not left */
	members: number;
	items_done: number;
	hours: number;
}

export interface DepartmentFigures {
	/** null for members employed by a unit that is not a county department */
	department_code: string | null;
	department_name: string | null;
	unit_name: string | null;
	members: number;
	items_claimed: number;
	items_done: number;
	hours: number;
}

export interface UnclaimedDemand {
	id: number;
	category: ServiceCategory;
	title: string;
	community_code: string;
	community_name: string;
	lng: number;
	lat: number;
	created_at: string;
	/** the service item posted for it, still unclaimed, or null */
	item_id: number | null;
}

export interface ClaimRow {
	id: number;
	member_id: number;
	member_name: string;
	claimed_at: string;
	done_on: string | null;
	hours: number | null;
	people_served: number | null;
	note: string | null;
}

export interface ItemRow {
	id: number;
	community_code: string;
	community_name: string;
	demand_id: number | null;
	category: ServiceCategory;
	title: string;
	description: string | null;
	lng: number | null;
	lat: number | null;
	slots: number;
	posted_by: string;
	posted_at: string;
	/** the claims the caller may read */
	claims: ClaimRow[];
	/** every claim of the item, readable or not: the slots taken */
	claims_count: number;
	/** the item's demand is no longer open (a service project took it up): it takes no more claims */
	demand_taken: boolean;
}

export interface Totals {
	/** registered members who have not left */
	members: number;
	items_claimed: number;
	items_done: number;
	hours: number;
	people_served: number;
}

export interface Summary {
	from: string | null;
	to: string | null;
	totals: Totals;
	members: MemberFigures[];
	buildings: BuildingFigures[];
	departments: DepartmentFigures[];
	unclaimed_demands: UnclaimedDemand[];
	unclaimed_items: ItemRow[];
}
