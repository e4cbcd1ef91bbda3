/**
 * The migration list, imported statically so that the same migrations run under tsx (CLI,
 * server), vitest and the SvelteKit bundle, none of which can rely on knex loading .ts files
 * from a directory at run time. Add a new migration file here; a unit test checks that the
 * list and the folder agree.
 */
import type { Knex } from 'knex';
import * as m202611270100 from './migrations/20261127_0100_enable_postgis.js';
import * as m202611270110 from './migrations/20261127_0110_create_county.js';
import * as m202611270120 from './migrations/20261127_0120_create_streets.js';
import * as m202611270130 from './migrations/20261127_0130_create_communities.js';
import * as m202611270140 from './migrations/20261127_0140_create_grids.js';
import * as m202611270150 from './migrations/20261127_0150_create_compounds.js';
import * as m202611270160 from './migrations/20261127_0160_create_buildings.js';
import * as m202611270170 from './migrations/20261127_0170_derive_building_owner.js';
import * as m202611270180 from './migrations/20261127_0180_create_departments.js';
import * as m202611270190 from './migrations/20261127_0190_create_community_liaisons.js';
import * as m202611270200 from './migrations/20261127_0200_create_people.js';
import * as m202611270210 from './migrations/20261127_0210_create_assignments.js';
import * as m202611270220 from './migrations/20261127_0220_create_issues.js';
import * as m202611270230 from './migrations/20261127_0230_create_issue_events.js';
import * as m202611270240 from './migrations/20261127_0240_create_renovation_projects.js';
import * as m202611270250 from './migrations/20261127_0250_create_flood_spots.js';
import * as m202611270260 from './migrations/20261127_0260_create_flood_incidents.js';
import * as m202611270270 from './migrations/20261127_0270_create_audit_log.js';
import * as m202611270280 from './migrations/20261127_0280_create_users.js';
import * as m202611270290 from './migrations/20261127_0290_create_sessions.js';
import * as m202611270300 from './migrations/20261127_0300_bulk_derivation_switch.js';
import * as m202611270310 from './migrations/20261127_0310_create_boundary_versions.js';
import * as m202611270320 from './migrations/20261127_0320_index_assignment_targets.js';
import * as m202611270330 from './migrations/20261127_0330_search_trigram_indexes.js';
import * as m202611300340 from './migrations/20261130_0340_create_layer_versions.js';
import * as m202611300350 from './migrations/20261130_0350_create_covering_functions.js';
import * as m202611300360 from './migrations/20261130_0360_create_case_categories.js';
import * as m202611300370 from './migrations/20261130_0370_create_case_time_limits.js';
import * as m202611300380 from './migrations/20261130_0380_create_work_calendar.js';
import * as m202611300390 from './migrations/20261130_0390_create_case_transitions.js';
import * as m202611300400 from './migrations/20261130_0400_add_case_workflow_columns.js';
import * as m202611300410 from './migrations/20261130_0410_create_case_escalations.js';
import * as m202611300420 from './migrations/20261130_0420_create_case_photos.js';
import * as m202611300430 from './migrations/20261130_0430_create_api_keys.js';
import * as m202611300440 from './migrations/20261130_0440_index_case_references.js';
import * as m202611300450 from './migrations/20261130_0450_create_renovation_funds.js';
import * as m202611300460 from './migrations/20261130_0460_add_renovation_contractor.js';
import * as m202611300470 from './migrations/20261130_0470_add_renovation_stage_dates.js';
import * as m202611300475 from './migrations/20261130_0475_create_renovation_history.js';
import * as m202611300478 from './migrations/20261130_0478_create_renovation_photos.js';
import * as m202611300480 from './migrations/20261130_0480_create_rain_alerts.js';
import * as m202611300490 from './migrations/20261130_0490_create_rain_alert_buildings.js';
import * as m202611300500 from './migrations/20261130_0500_create_access_tokens.js';
import * as m202612010510 from './migrations/20261201_0510_create_visits.js';
import * as m202612010520 from './migrations/20261201_0520_add_visit_photos.js';
import * as m202612010530 from './migrations/20261201_0530_add_rain_check_offline_fields.js';
import * as m202612010610 from './migrations/20261201_0610_create_first_secretary_activities.js';
import * as m202612010620 from './migrations/20261201_0620_create_meeting_attendees.js';
import * as m202612010630 from './migrations/20261201_0630_create_meeting_matters.js';
import * as m202612010640 from './migrations/20261201_0640_create_meeting_agreements.js';
// departments (issue 14)
import * as m202612010710 from './migrations/20261201_0710_add_liaison_deputy.js';
import * as m202612010720 from './migrations/20261201_0720_create_community_liaison_history.js';
// 三张清单 (issue 14, part 3)
import * as m202612010810 from './migrations/20261201_0810_create_resources.js';
import * as m202612010820 from './migrations/20261201_0820_create_demands.js';
import * as m202612010830 from './migrations/20261201_0830_create_service_projects.js';
// 双报到 (issue 14, part 4)
import * as m202612010910 from './migrations/20261201_0910_create_party_members.js';
import * as m202612010920 from './migrations/20261201_0920_create_service_items.js';
import * as m202612010930 from './migrations/20261201_0930_create_service_claims.js';
import * as m202612011010 from './migrations/20261201_1010_create_evaluations.js';
import * as m202612071100 from './migrations/20261207_1100_add_category_publication.js';
import * as m202612071110 from './migrations/20261207_1110_add_event_public_reply.js';
// sign-in limits (issue "Close the leaks", point 5)
import * as m202612071120 from './migrations/20261207_1120_create_sign_in_devices.js';
import * as m202612071130 from './migrations/20261207_1130_create_sign_in_failures.js';
import * as m202612071200 from './migrations/20261207_1200_add_rain_alert_scope.js';
// a resident reopens their report (issue 21)
import * as m202612071210 from './migrations/20261207_1210_add_case_reopened.js';
import * as m202612071300 from './migrations/20261207_1300_create_place_predicates.js';
import * as m202612071310 from './migrations/20261207_1310_notify_session_changes.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };
export const migrations: Record<string, Migration> = {
	'20261127_0100_enable_postgis': m202611270100,
	'20261127_0110_create_county': m202611270110,
	'20261127_0120_create_streets': m202611270120,
	'20261127_0130_create_communities': m202611270130,
	'20261127_0140_create_grids': m202611270140,
	'20261127_0150_create_compounds': m202611270150,
	'20261127_0160_create_buildings': m202611270160,
	'20261127_0170_derive_building_owner': m202611270170,
	'20261127_0180_create_departments': m202611270180,
	'20261127_0190_create_community_liaisons': m202611270190,
	'20261127_0200_create_people': m202611270200,
	'20261127_0210_create_assignments': m202611270210,
	'20261127_0220_create_issues': m202611270220,
	'20261127_0230_create_issue_events': m202611270230,
	'20261127_0240_create_renovation_projects': m202611270240,
	'20261127_0250_create_flood_spots': m202611270250,
	'20261127_0260_create_flood_incidents': m202611270260,
	'20261127_0270_create_audit_log': m202611270270,
	'20261127_0280_create_users': m202611270280,
	'20261127_0290_create_sessions': m202611270290,
	'20261127_0300_bulk_derivation_switch': m202611270300,
	'20261127_0310_create_boundary_versions': m202611270310,
	'20261127_0320_index_assignment_targets': m202611270320,
	'20261127_0330_search_trigram_indexes': m202611270330,
	'20261130_0340_create_layer_versions': m202611300340,
	'20261130_0350_create_covering_functions': m202611300350,
	'20261130_0360_create_case_categories': m202611300360,
	'20261130_0370_create_case_time_limits': m202611300370,
	'20261130_0380_create_work_calendar': m202611300380,
	'20261130_0390_create_case_transitions': m202611300390,
	'20261130_0400_add_case_workflow_columns': m202611300400,
	'20261130_0410_create_case_escalations': m202611300410,
	'20261130_0420_create_case_photos': m202611300420,
	'20261130_0430_create_api_keys': m202611300430,
	'20261130_0440_index_case_references': m202611300440,
	'20261130_0450_create_renovation_funds': m202611300450,
	'20261130_0460_add_renovation_contractor': m202611300460,
	'20261130_0470_add_renovation_stage_dates': m202611300470,
	'20261130_0475_create_renovation_history': m202611300475,
	'20261130_0478_create_renovation_photos': m202611300478,
	'20261130_0480_create_rain_alerts': m202611300480,
	'20261130_0490_create_rain_alert_buildings': m202611300490,
	'20261130_0500_create_access_tokens': m202611300500,
	'20261201_0510_create_visits': m202612010510,
	'20261201_0520_add_visit_photos': m202612010520,
	'20261201_0530_add_rain_check_offline_fields': m202612010530,
	'20261201_0610_create_first_secretary_activities': m202612010610,
	'20261201_0620_create_meeting_attendees': m202612010620,
	'20261201_0630_create_meeting_matters': m202612010630,
	'20261201_0640_create_meeting_agreements': m202612010640,
	// departments (issue 14)
	'20261201_0710_add_liaison_deputy': m202612010710,
	'20261201_0720_create_community_liaison_history': m202612010720,
	// 三张清单 (issue 14, part 3)
	'20261201_0810_create_resources': m202612010810,
	'20261201_0820_create_demands': m202612010820,
	'20261201_0830_create_service_projects': m202612010830,
	'20261201_0910_create_party_members': m202612010910,
	'20261201_0920_create_service_items': m202612010920,
	'20261201_0930_create_service_claims': m202612010930,
	// 考核评价 (issue 14, part 5)
	'20261201_1010_create_evaluations': m202612011010,
	// What leaves through Open311: per category, and public replies (issue 20, point 1)
	'20261207_1100_add_category_publication': m202612071100,
	'20261207_1110_add_event_public_reply': m202612071110,
	// sign-in limits (issue "Close the leaks", point 5)
	'20261207_1120_create_sign_in_devices': m202612071120,
	'20261207_1130_create_sign_in_failures': m202612071130,
	// the planner chooses what a rain alert covers (issue 21, point 1)
	'20261207_1200_add_rain_alert_scope': m202612071200,
	// a resident reopens their report (issue 21)
	'20261207_1210_add_case_reopened': m202612071210,
	// shared place predicates as SQL functions (issue 22, point 4)
	'20261207_1300_create_place_predicates': m202612071300,
	// servers forget the sessions they hold when one ends anywhere (issue 22, point 9)
	'20261207_1310_notify_session_changes': m202612071310,
};

export const migrationSource: Knex.MigrationSource<string> = {
	async getMigrations() {
		return Object.keys(migrations).sort();
	},
	getMigrationName(name) {
		return name;
	},
	async getMigration(name) {
		return migrations[name];
	}
};
