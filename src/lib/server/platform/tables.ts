/**
 * The tables of the schema that code names: which table holds each area level, and every
 * table that holds data. Table names in SQL come from here (an allow-list), never from input.
 */

/** The table of each area level. */
export const LEVEL_TABLE = {
	street: 'streets',
	community: 'communities',
	grid: 'grids',
	compound: 'compounds',
	building: 'buildings'
} as const;

/** Every table that holds data, for counting and for proving an import wrote nothing. */
export const DATA_TABLES = [
	'county',
	'streets',
	'communities',
	'grids',
	'compounds',
	'buildings',
	'departments',
	'community_liaisons',
	'community_liaison_history',
	'people',
	'assignments',
	'issues',
	'issue_events',
	'renovation_projects',
	'renovation_funds',
	'renovation_history',
	'renovation_photos',
	'flood_spots',
	'flood_incidents',
	'rain_alerts',
	'rain_alert_buildings',
	'visits',
	'users',
	'sessions',
	'access_tokens',
	// sign-in limits: trusted browsers and recent failures
	'sign_in_devices',
	'sign_in_failures',
	'boundary_versions',
	'audit_log',
	// 三个一 and joint meetings (issue 14)
	'first_secretary_activities',
	'meeting_attendees',
	'meeting_matters',
	'meeting_agreements',
	// 三张清单 (issue 14, part 3)
	'resources',
	'demands',
	'service_projects',
	// 双报到 (issue 14, part 4)
	'party_members',
	'service_items',
	'service_claims',
	// 考核评价 (issue 14, part 5)
	'evaluations'
] as const;

/** The covering function of each level (migration 0350): the one rule for the area covering a point. */
export const COVERING = {
	street: 'covering_street',
	community: 'covering_community',
	grid: 'covering_grid',
	compound: 'covering_compound',
	building: 'covering_building'
} as const;
