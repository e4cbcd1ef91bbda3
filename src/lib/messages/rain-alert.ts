/** The rain alert's scope, its preview and the reasons an inspection list is empty (issue 21, point 1). */
import type { Pair } from './pair.js';

export const RAIN_ALERT_MESSAGES = {
	rainScopeSpots: { zh: '纳入的积水点', en: 'Flood spots that count' },
	rainScopeSpotsHint: { zh: '按状态选择最低严重程度', en: 'Per status, the lowest severity that counts' },
	rainScopeNone: { zh: '不纳入', en: 'Leave out' },
	rainScopeAtLeast_low: { zh: '轻度及以上', en: 'low and above' },
	rainScopeAtLeast_medium: { zh: '中度及以上', en: 'medium and above' },
	rainScopeAtLeast_high: { zh: '仅严重', en: 'high only' },
	rainScopeAreas: { zh: '限定社区或网格(可选,不选则全县)', en: 'Limit to communities or grids (optional; none: the whole county)' },
	rainScopeAreasChosen: { zh: '已选 {communities} 个社区、{grids} 个网格', en: '{communities} communities and {grids} grids chosen' },
	rainScopeWholeCommunity: { zh: '整个社区', en: 'Whole community' },
	rainPreviewTitle: { zh: '启动前预览', en: 'Before switching on' },
	rainPreviewLoading: { zh: '正在计算覆盖范围…', en: 'Working out what it reaches…' },
	rainPreviewReach: {
		zh: '将覆盖 {buildings} 栋楼({households} 户)、{grids} 个网格,通知 {workers} 名网格员;计入积水点 {spots} 个',
		en: 'Reaches {buildings} buildings ({households} households) in {grids} grids and {workers} grid workers; {spots} flood spots count'
	},
	rainPreviewNothing: { zh: '按当前选择,没有楼栋在范围内;请放宽积水点条件或扩大范围', en: 'No building lies within this scope: count more spots or widen the distance' },
	rainPreviewWorkers: { zh: '将通知的网格员', en: 'Grid workers it reaches' },
	rainPreviewNoWorker: { zh: '未配备网格员', en: 'no grid worker' },
	rainPreviewBuildings: { zh: '{n} 栋', en: '{n} buildings' },
	rainScopeStatusAt: { zh: '{status}{severity}', en: '{status} {severity}' },
	rainAlertScopeSummary: { zh: '范围:{spots};周边 {metres} 米{areas}', en: 'Scope: {spots}; {metres} m around{areas}' },
	rainAlertScopeAreas: { zh: ';限定 {n} 个社区或网格', en: '; limited to {n} communities or grids' },
	rainAlertLive: { zh: '进度每 10 秒自动更新', en: 'Progress updates every 10 seconds' },
	rainNotYourGrid: { zh: '本次预警不涉及您的网格', en: 'This alert does not cover your grid' },
	rainNotYourTerritory: { zh: '本次预警不涉及您的辖区', en: 'This alert does not cover your territory' },
	rainCoveredGrids: {
		zh: '本次预警覆盖 {grids} 个网格;您的网格内没有楼栋在积水点周边 {metres} 米内。如发现积水,请照常上报。',
		en: 'This alert covers {grids} grids; none of your buildings lies within {metres} m of a flood spot it counts. Report any water you see as usual.'
	},
	rainCoveredTerritory: {
		zh: '本次预警覆盖 {grids} 个网格;您的辖区内没有楼栋在积水点周边 {metres} 米内。',
		en: 'This alert covers {grids} grids; no building of your territory lies within {metres} m of a flood spot it counts.'
	},
	rainNoAlertHint: { zh: '启动暴雨预警后,需要巡查的楼栋会列在这里。', en: 'When a rain alert is switched on, the buildings to check are listed here.' }
} satisfies Record<string, Pair>;
