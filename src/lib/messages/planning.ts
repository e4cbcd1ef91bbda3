/** The county planner's dashboard case figures and the housing bureau's ledger (issue 21). */
import type { Pair } from './pair.js';

export const PLANNING_MESSAGES = {
	// /dashboard: case figures beside the meeting figures
	dashCases: { zh: '案件办理', en: 'Cases' },
	dashCasesHint: { zh: '所选时段内上报、位于您辖区内的案件；超期为目前仍未办结且已过时限的案件。', en: 'Cases reported in the chosen period inside your territory; overdue: still open and past their time limit now.' },
	dashCaseReported: { zh: '上报案件', en: 'Reported' },
	dashCaseClosedOnTime: { zh: '按时结案', en: 'Closed on time' },
	dashCaseClosedOf: { zh: '共结案 {n} 件', en: 'of {n} closed' },
	dashCaseOverdue: { zh: '超期未办结', en: 'Overdue' },
	dashCaseUnit: { zh: '件', en: '' },
	dashMatterTypes: { zh: '五事分流', en: 'By matter type' },
	dashAcks: { zh: '部门报到（社区吹哨、部门报到）', en: 'Departments reporting in (whistle and report-in)' },
	dashAckDepartment: { zh: '部门', en: 'Department' },
	dashAckEscalations: { zh: '吹哨', en: 'Escalated' },
	dashAckOnTime: { zh: '按时报到', en: 'On time' },
	dashAckLate: { zh: '超时或未报到', en: 'Late or missing' },
	dashAckWaiting: { zh: '待报到', en: 'Waiting' },
	dashAckRate: { zh: '按时报到率', en: 'On-time rate' },
	dashAckNone: { zh: '该时段没有向部门吹哨的案件', en: 'No case was escalated to a department in this period' },
	// /renovation: one money unit per table
	renoPlannedWan: { zh: '计划资金（万元）', en: 'Funds planned (¥10k)' },
	renoSecuredWan: { zh: '到位资金（万元）', en: 'Funds secured (¥10k)' },
	renoSpentWan: { zh: '已支出（万元）', en: 'Spent (¥10k)' },
	renoMoneyUnit: { zh: '金额单位：万元', en: 'Amounts in ¥10,000' },
	renoStageNotDated: { zh: '日期未记录', en: 'date not recorded' },
	renoStageNotReached: { zh: '未到', en: 'not yet' },
	renoNoMatchKeepMap: { zh: '没有符合条件的项目，地图保持原位。', en: 'No project matches; the map stays where it was.' },
	renoMapLegend: { zh: '图例', en: 'Legend' },
	// /renovation/new
	renoNewMapLabel: { zh: '社区边界与小区名称', en: 'Community outlines and compound names' }
} satisfies Record<string, Pair>;
