/** 三个一 (issue 14): the kinds of a First Secretary's records and the statuses of a period, for pages and the server alike. */
export const ACTIVITY_KINDS = ['visit', 'report', 'meeting'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const PERIOD_STATUSES = ['held', 'overdue', 'due', 'upcoming', 'not_owed'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];
