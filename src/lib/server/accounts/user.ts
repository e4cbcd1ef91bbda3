/** A signed-in account as the server acts for it: its role, and the person or department it stands for. */
export const USER_ROLES = ['admin', 'planner', 'housing', 'department', 'community_admin', 'grid_worker', 'building_head'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
	id: number;
	username: string;
	role: UserRole;
	person_id: number | null;
	department_id: number | null;
}

/** A county admin acting for the system itself (a CLI, a test): it administers everything. */
export function systemAdmin(username = 'system'): User {
	return { id: 0, username, role: 'admin', person_id: null, department_id: null };
}
