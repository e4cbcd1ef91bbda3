/** 三张清单 (issue 14, part 3): the seed's five service categories and the statuses of demands and projects. */
export const SERVICE_CATEGORIES = ['party_building', 'culture_sports', 'poverty_relief', 'health', 'volunteering'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const DEMAND_STATUSES = ['open', 'matched', 'done'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];
export const PROJECT_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
