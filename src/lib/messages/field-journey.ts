/**
 * The grid worker's phone journey (issue 21, points 2 and 3 and the grid worker's misses):
 * the report's pin, the territory check before sending, the outbox's answers, the legend's
 * shapes, the 两长两员 on the building card and where the worker stands.
 */
import type { Pair } from './pair.js';

export const FIELD_JOURNEY_MESSAGES = {
	// The report's map and its pin
	pinHint: { zh: '拖动图钉或点按地图，选定问题位置', en: 'Drag the pin or tap the map to place the report' },
	pinMapLabel: { zh: '问题位置地图', en: 'Map of the report’s place' },
	pinAtBuilding: { zh: '位于 {name}', en: 'At {name}' },
	pinNearBuilding: { zh: '{name} 附近 {distance}', en: '{distance} from {name}' },
	pinInGrid: { zh: '{grid}内', en: 'In {grid}' },
	pinBackToFix: { zh: '回到我的位置', en: 'Back to my position' },
	// The territory check before sending
	placeChecking: { zh: '正在核对位置…', en: 'Checking the place…' },
	placeOutside: { zh: '该位置不在您的网格内（{community}）。', en: 'This place is outside your grids ({community}).' },
	placeOutsideCounty: { zh: '该位置不在合江县范围内，请重新选点。', en: 'This place is outside Hejiang County; choose another.' },
	placeUseNearest: { zh: '改到最近的本人楼栋：{name}（{distance}）', en: 'Move to my nearest building: {name} ({distance})' },
	placeHandOver: { zh: '转交{community}处理', en: 'Pass it on to {community}' },
	placeOutsideShort: { zh: '不在您的网格内', en: 'outside your grids' },
	placeRepick: { zh: '重新选点', en: 'Choose again' },
	placeUnknownCommunity: { zh: '所在社区', en: 'the community there' },
	handedOver: { zh: '已转交 {community}', en: 'Passed on to {community}' },
	// The outbox's answers
	outboxSentCase: { zh: '已发送 · 问题编号 {code}', en: 'Sent · case {code}' },
	outboxSentAt: { zh: '已发送 · {time}', en: 'Sent · {time}' },
	outboxLanded: { zh: '已发送 {n} 条', en: '{n} sent' },
	outboxReason: { zh: '原因：{message}', en: 'Reason: {message}' },
	outboxEdit: { zh: '修改后重发', en: 'Edit and resend' },
	outboxResend: { zh: '重新发送', en: 'Send again' },
	outboxDiscard: { zh: '放弃', en: 'Discard' },
	outboxEditing: { zh: '修改被退回的上报', en: 'Edit the returned report' },
	outboxEditVisit: { zh: '被退回的走访请在楼栋卡片上重新登记', en: 'Record the returned visit again on the building’s card' },
	// The legend: shapes as well as colours
	legendNothingDue: { zh: '无待办，本月未走访', en: 'Nothing due, not visited this month' },
	legendVisitedRing: { zh: '绿色外圈：本月已走访', en: 'Green ring: visited this month' },
	legendPosition: { zh: '我的位置', en: 'My position' },
	legendWalk: { zh: '步行路线', en: 'Walking line' },
	// The 两长两员 on the building card
	rosterTitle: { zh: '两长两员', en: 'Building roster (两长两员)' },
	rosterMissing: { zh: '未配备', en: 'Not assigned' },
	rosterMembers: { zh: '{n} 名：{names}', en: '{n}: {names}' },
	// Where the worker stands
	outsideGrid: { zh: '您在网格外 {distance}，{direction}方向', en: 'You are {distance} outside your grid, to the {direction}' },
	insideGrid: { zh: '您在{grid}内', en: 'You are in {grid}' },
	nearBuilding: { zh: '靠近 {name}（{distance}）', en: 'Near {name} ({distance})' },
	choosePosition: { zh: '在地图上选位置', en: 'Choose on the map' },
	choosePositionHint: { zh: '点按地图选定位置', en: 'Tap the map to set the position' },
	choosePositionDone: { zh: '用这个位置', en: 'Use this position' }
} satisfies Record<string, Pair>;
