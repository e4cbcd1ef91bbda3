/**
 * The roster of an area, a person's page and the boundary editor: the admin pages that wrote
 * Chinese and English side by side before the page kit (issue 22, point 5).
 */
import type { Pair } from './pair.js';

export const PEOPLE_PAGES_MESSAGES = {
	rosterHeading_community: { zh: '4+N 治理体系', en: '4+N governance' },
	rosterHeading_building: { zh: '两长两员', en: 'Two heads and two members' },
	rosterHeading_other: { zh: '责任人', en: 'Responsible people' },
	rosterNone: { zh: '暂无', en: 'None' },
	rosterEnd: { zh: '结束任职', en: 'End the assignment' },
	rosterEndPrompt: { zh: '结束 {name} 的任职，原因', en: 'Reason for ending {name}’s assignment' },
	rosterThreeOnes: { zh: '三个一与联席会', en: 'Three Ones and joint meetings' },
	rosterLiaison: { zh: '联系单位', en: 'Liaison departments' },
	rosterLead: { zh: '（牵头单位）', en: ' (lead)' },
	rosterAssignHeading: { zh: '任命', en: 'Assign' },
	rosterPersonCode: { zh: '人员编号', en: 'Person code' },
	rosterRole: { zh: '角色', en: 'Role' },
	rosterFrom: { zh: '起始日期', en: 'From' },
	rosterReason: { zh: '原因', en: 'Reason' },
	rosterAssign: { zh: '任命', en: 'Assign' },

	personPartyMember: { zh: '中共党员', en: 'Party member' },
	personCurrent: { zh: '现任', en: 'Current roles' },
	personNone: { zh: '无', en: 'None' },
	personSince: { zh: '自 {date}', en: 'since {date}' },
	personHistory: { zh: '履历', en: 'History' },
	personHistoryRole: { zh: '角色', en: 'Role' },
	personHistoryTarget: { zh: '对象', en: 'Area' },
	personHistoryFrom: { zh: '起', en: 'From' },
	personHistoryTo: { zh: '止', en: 'To' },
	personHistoryReason: { zh: '原因', en: 'Reason' },

	bndTitle_grid: { zh: '调整网格边界', en: 'Change the grid boundary' },
	bndTitle_community: { zh: '调整社区边界', en: 'Change the community boundary' },
	bndInForceSince: { zh: '现行自 {date}', en: 'in force since {date}' },
	bndHint: { zh: '拖动顶点或中点修改轮廓，或上传 GeoJSON 文件', en: 'Drag a vertex or midpoint to change the outline, or upload a GeoJSON file' },
	bndUpload: { zh: '上传', en: 'Upload' },
	bndPreview: { zh: '预览影响', en: 'Preview the impact' },
	bndImpact: { zh: '影响', en: 'Impact' },
	bndApplied: { zh: '已应用', en: 'Applied' },
	bndArea: { zh: '面积 {before} → {after} m²', en: 'Area {before} → {after} m²' },
	bndBuildings: { zh: '楼栋变更 {n} 栋，{households} 户', en: '{n} buildings change area, {households} households' },
	bndBuildingMove: { zh: '{building}：{from} → {to}（{households} 户）', en: '{building}: {from} → {to} ({households} households)' },
	bndNowhere: { zh: '无', en: 'none' },
	bndIssues: { zh: '待办问题变更 {n} 个', en: '{n} open issues change area' },
	bndIssueIn: { zh: '{code} {title}（划入）', en: '{code} {title} (moves in)' },
	bndIssueOut: { zh: '{code} {title}（划出）', en: '{code} {title} (moves out)' },
	bndPeople: { zh: '涉及人员 {n} 人', en: '{n} people concerned' },
	bndPerson: { zh: '{role} {name}（{building}）', en: '{role} {name} ({building})' },
	bndSimplified: {
		zh: '⚠ 边界有 {before} 个节点，已在 {cm} 厘米误差内简化为 {after} 个',
		en: '⚠ Simplified from {before} to {after} vertices within {cm} cm'
	},
	bndEffective: { zh: '生效日期', en: 'Effective date' },
	bndReason: { zh: '原因', en: 'Reason' },
	bndReasonExample: { zh: '例如：按户数重划网格', en: 'e.g. grids redrawn by households' },
	bndApply: { zh: '应用', en: 'Apply' },
	bndCannotEdit: { zh: '无法编辑此轮廓：{reason}', en: 'Cannot edit this outline: {reason}' },
	bndNoOutline: { zh: '没有可用的轮廓', en: 'No outline to send' },
	bndNoPolygon: { zh: '文件中没有单个多边形', en: 'The file holds no single polygon' },
	bndNotGeoJSON: { zh: '无法读取 GeoJSON', en: 'Not readable GeoJSON' },
	bndMultiPart: { zh: '多部分轮廓请上传文件修改', en: 'A multi-part outline: upload a file to change it' },
	bndMapLabel: { zh: '边界地图', en: 'Boundary map' }
} satisfies Record<string, Pair>;
