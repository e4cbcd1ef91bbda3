/**
 * UI text in Simplified Chinese first, English available. Plain data and pure functions, so
 * server modules (search subtitles) and components share one dictionary; the reactive choice
 * of language lives in `$lib/client/locale.svelte.ts`.
 */
import type { AreaLevel, IssueCategory, IssueStatus, MatterType, Role, RenovationStatus, FloodSeverity, Urgency } from './domain/glossary.js';

export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh';
/** localStorage key that remembers the reader's choice between visits */
export const LOCALE_STORAGE_KEY = 'wangge.locale';

type Pair = { zh: string; en: string };

const MESSAGES = {
	title: { zh: '网格治理一张图', en: 'Grid governance map' },
	subtitle: { zh: '合江县', en: 'Hejiang County' },
	adminCasesTitle: { zh: '案件设置', en: 'Case settings' },
	adminCasesLink: { zh: '设置', en: 'Settings' },
	adminBackToMap: { zh: '← 地图', en: '← Map' },
	adminSave: { zh: '保存', en: 'Save' },
	adminSaved: { zh: '已保存', en: 'Saved' },
	adminHours: { zh: '工作小时', en: 'working hours' },
	adminCategories: { zh: '问题台账类别', en: 'Ledger categories' },
	adminCategoriesHint: { zh: '新上报的案件按类别的默认办理方派遣；部门办理须指定部门。', en: 'New cases are dispatched to their category’s default handler; a department handler needs a department.' },
	adminCategory: { zh: '类别', en: 'Category' },
	adminHandler: { zh: '默认办理', en: 'Default handler' },
	adminHandler_grid_worker: { zh: '网格员', en: 'Grid worker' },
	adminHandler_community: { zh: '社区', en: 'Community' },
	adminHandler_department: { zh: '部门', en: 'Department' },
	adminDepartment: { zh: '部门', en: 'Department' },
	adminNoDepartment: { zh: '（未指定）', en: '(none)' },
	adminActive: { zh: '启用', en: 'Active' },
	adminTimeLimits: { zh: '办理时限', en: 'Time limits' },
	adminTimeLimitsHint: { zh: '按工作日历计算的工作小时。修改只对之后上报的案件生效，已有案件保留原定时限。', en: 'Working hours on the work calendar. A change applies to cases reported from now on; open cases keep their deadline.' },
	adminMatterType: { zh: '事项', en: 'Matter type' },
	adminUrgency_general: { zh: '一般', en: 'General' },
	adminUrgency_urgent: { zh: '紧急', en: 'Urgent' },
	adminAckLimits: { zh: '部门报到时限', en: 'Department acknowledgement limits' },
	adminAckLimitsHint: { zh: '社区吹哨后部门须在此工作小时内报到；修改只对之后的吹哨生效。', en: 'Working hours a department has to acknowledge an escalation; a change applies to later escalations.' },
	adminFilterDepartments: { zh: '按名称或编码筛选', en: 'Filter by name or code' },
	adminShownOf: { zh: '显示 {shown} / {total}', en: 'Showing {shown} of {total}' },
	adminCalendar: { zh: '工作日历', en: 'Work calendar' },
	adminCalendarHint: { zh: '每年一个 JSON 文件，列出节假日与调休上班日；上传同一年份会整体替换。', en: 'One JSON file a year listing holidays and make-up working days; uploading a year again replaces it whole.' },
	adminYear: { zh: '年份', en: 'Year' },
	adminSource: { zh: '来源', en: 'Source' },
	adminProvisional: { zh: '暂定', en: 'Provisional' },
	adminOfficial: { zh: '正式', en: 'Official' },
	adminDays: { zh: '例外天数', en: 'Exception days' },
	adminNoYears: { zh: '尚未载入任何年份', en: 'No year loaded' },
	adminUploadYear: { zh: '上传年度文件', en: 'Upload a year file' },
	adminYearLoaded: { zh: '已载入 {year} 年，{days} 个例外日', en: 'Loaded {year}: {days} exception days' },
	adminNotJson: { zh: '文件不是有效的 JSON', en: 'The file is not valid JSON' },
	adminKeys: { zh: 'Open311 API 密钥', en: 'Open311 API keys' },
	adminKeysHint: { zh: '供其他应用（市民 App、热线系统）提交案件；只保存密钥的摘要。', en: 'For other apps (a city app, a hotline system) to submit cases; only a digest of each key is stored.' },
	adminKeyName: { zh: '名称', en: 'Name' },
	adminKeySource: { zh: '案件来源', en: 'Case source' },
	adminKeyCreated: { zh: '签发', en: 'Issued' },
	adminKeyState: { zh: '状态', en: 'State' },
	adminKeyActive: { zh: '有效', en: 'Active' },
	adminKeyRevokedAt: { zh: '已吊销 {at}', en: 'Revoked {at}' },
	adminKeyIssue: { zh: '签发密钥', en: 'Issue key' },
	adminKeyRevoke: { zh: '吊销', en: 'Revoke' },
	adminKeyRevokeConfirm: { zh: '吊销密钥“{name}”？使用它的应用将无法再提交案件。', en: 'Revoke the key “{name}”? Apps using it can no longer submit cases.' },
	adminKeyShownOnce: { zh: '新密钥只显示这一次，请立即复制并交给对方应用。', en: 'The new key is shown this once only: copy it and hand it to the app now.' },
	adminCopy: { zh: '复制', en: 'Copy' },
	adminCopied: { zh: '已复制', en: 'Copied' },
	adminNoKeys: { zh: '暂无密钥', en: 'No keys' },
	adminTokensTitle: { zh: '个人访问令牌', en: 'Personal access tokens' },
	adminTokensLink: { zh: '访问令牌', en: 'Access tokens' },
	adminTokensHint: {
		zh: '供桌面 GIS（QGIS、GDAL）以某个账号的身份只读访问 OGC API – Features（/ogc）等接口：请求头 Authorization: Bearer <令牌>。令牌只能读取（GET），所见范围与该账号完全相同；只保存令牌的摘要。',
		en: 'For desktop GIS (QGIS, GDAL) to read the OGC API – Features (/ogc) and other endpoints as one account: header Authorization: Bearer <token>. A token only reads (GET) and sees exactly what the account sees; only a digest of each token is stored.'
	},
	adminTokenUser: { zh: '账号', en: 'Account' },
	adminTokenLabel: { zh: '用途 / 持有人', en: 'Label (who holds it)' },
	adminTokenExpires: { zh: '有效期（天，留空为不过期）', en: 'Valid for (days; empty: never expires)' },
	adminTokenExpiresAt: { zh: '到期', en: 'Expires' },
	adminTokenNever: { zh: '不过期', en: 'Never' },
	adminTokenLastUsed: { zh: '最近使用', en: 'Last used' },
	adminTokenUnused: { zh: '未使用', en: 'Not used' },
	adminTokenExpired: { zh: '已过期', en: 'Expired' },
	adminTokenIssue: { zh: '签发令牌', en: 'Issue token' },
	adminTokenRevokeConfirm: { zh: '吊销令牌“{label}”（{user}）？使用它的 GIS 连接将无法再读取数据。', en: 'Revoke the token “{label}” ({user})? GIS connections using it can no longer read data.' },
	adminTokenShownOnce: { zh: '新令牌只显示这一次，请立即复制并交给持有人；在 QGIS 中作为 HTTP 请求头 Authorization: Bearer <令牌> 使用。', en: 'The new token is shown this once only: copy it and hand it over now; in QGIS send it as the HTTP header Authorization: Bearer <token>.' },
	adminNoTokens: { zh: '暂无令牌', en: 'No tokens' },
	adminSource_patrol: { zh: '巡查', en: 'Patrol' },
	adminSource_resident: { zh: '居民', en: 'Resident' },
	adminSource_joint_meeting: { zh: '联席会议', en: 'Joint meeting' },
	adminSource_hotline: { zh: '热线', en: 'Hotline' },
	adminSource_department: { zh: '部门', en: 'Department' },
	language: { zh: 'English', en: '中文' },
	renoLink: { zh: '改造台账', en: 'Renovation' },
	renoEditFunds: { zh: '编辑资金', en: 'Edit money' },
	renoSaveFunds: { zh: '保存资金', en: 'Save money' },
	renoCancel: { zh: '取消', en: 'Cancel' },
	renoPhotos: { zh: '改造前后照片', en: 'Photos before and after' },
	renoPhotosBefore: { zh: '改造前', en: 'Before' },
	renoPhotosAfter: { zh: '改造后', en: 'After' },
	renoUpload: { zh: '上传', en: 'Upload' },
	renoTitle: { zh: '老旧小区改造台账', en: 'Old-compound renovation ledger' },
	renoAllStatuses: { zh: '全部状态', en: 'All statuses' },
	renoBatch: { zh: '批次', en: 'Batch' },
	renoYear: { zh: '开工年度', en: 'Start year' },
	renoStreet: { zh: '街道', en: 'Street' },
	renoCommunity: { zh: '社区', en: 'Community' },
	renoDemonstration: { zh: '示范小区', en: 'Demonstration' },
	renoAny: { zh: '不限', en: 'Any' },
	renoYes: { zh: '是', en: 'Yes' },
	renoNo: { zh: '否', en: 'No' },
	renoCode: { zh: '编号', en: 'Code' },
	renoName: { zh: '项目名称', en: 'Project' },
	renoStatus: { zh: '状态', en: 'Status' },
	renoProgress: { zh: '进度', en: 'Progress' },
	renoProjects: { zh: '项目', en: 'Projects' },
	renoCompounds: { zh: '小区', en: 'Compounds' },
	renoBuildings: { zh: '楼栋', en: 'Buildings' },
	renoHouseholds: { zh: '户数', en: 'Households' },
	renoPlanned: { zh: '计划资金(元)', en: 'Funds planned (¥)' },
	renoSecured: { zh: '到位资金(元)', en: 'Funds secured (¥)' },
	renoSpent: { zh: '已支出(元)', en: 'Spent (¥)' },
	renoTotal: { zh: '合计', en: 'Total' },
	renoExportCsv: { zh: '导出 CSV', en: 'Export CSV' },
	renoExportGeojson: { zh: '导出 GeoJSON', en: 'Export GeoJSON' },
	renoPrint: { zh: '打印 A4 汇总', en: 'Print A4 summary' },
	renoChart: { zh: '进度与支出', en: 'Progress and spending' },
	renoChartCompleted: { zh: '累计完工项目', en: 'Projects completed (cumulative)' },
	renoChartSpent: { zh: '累计支出(万元,按完工或今日计)', en: 'Spent, cumulative (¥10k, booked at completion or today)' },
	renoGaps: { zh: '规划空白:未纳入改造的老旧小区', en: 'Planning gaps: old compounds no project covers' },
	renoOpenIssues: { zh: '未办结问题', en: 'Open issues' },
	renoFloodSpots: { zh: '积水点', en: 'Flood spots' },
	renoTimeline: { zh: '时间线', en: 'Timeline' },
	renoStages: { zh: '阶段日期', en: 'Stage dates' },
	renoFunds: { zh: '资金来源', en: 'Money by source' },
	renoCovered: { zh: '覆盖范围', en: 'Covered' },
	renoIssuesByMonth: { zh: '区域内问题:完工前后各 12 个月', en: 'Issues inside: 12 months before and after completion' },
	renoBefore: { zh: '完工前', en: 'Before completion' },
	renoAfter: { zh: '完工后', en: 'After completion' },
	renoNotCompleted: { zh: '尚未完工', en: 'Not completed yet' },
	renoContractor: { zh: '施工单位', en: 'Contractor' },
	renoAddOns: { zh: '改+治', en: 'Renovation + governance' },
	renoPartyBranch: { zh: '成立小区党支部', en: 'Party branch set up' },
	renoRedProperty: { zh: '红色物业', en: 'Red property company' },
	renoNextStep: { zh: '推进到', en: 'Move on to' },
	renoSaveProgress: { zh: '更新进度', en: 'Update progress' },
	renoBack: { zh: '返回台账', en: 'Back to the ledger' },
	renoLoading: { zh: '加载中…', en: 'Loading…' },
	renoNone: { zh: '没有符合条件的项目', en: 'No project matches' },
	renoSource_central: { zh: '中央', en: 'Central' },
	renoSource_provincial: { zh: '省级', en: 'Provincial' },
	renoSource_county: { zh: '县级', en: 'County' },
	renoSource_residents: { zh: '居民', en: 'Residents' },
	renoSource_social_capital: { zh: '社会资本', en: 'Social capital' },
	renoSource_unattributed: { zh: '未分来源', en: 'Unattributed' },
	renoHistory_created: { zh: '创建', en: 'Created' },
	renoHistory_status: { zh: '状态变更', en: 'Status' },
	renoHistory_progress: { zh: '进度', en: 'Progress' },
	renoHistory_money: { zh: '资金', en: 'Money' },
	renoHistory_edited: { zh: '编辑', en: 'Edited' },
	languageLabel: { zh: '切换到英文', en: 'Switch to Chinese' },
	floodTitle: { zh: '积水点与暴雨预警', en: 'Flood spots and rain alerts' },
	floodSpots: { zh: '积水点', en: 'Flood spots' },
	floodCause: { zh: '成因', en: 'Cause' },
	floodCause_low_lying: { zh: '低洼', en: 'Low-lying' },
	floodCause_backflow: { zh: '雨水倒灌', en: 'Backflow' },
	floodCause_drainage: { zh: '管网', en: 'Drainage network' },
	floodSeverityLabel: { zh: '严重程度', en: 'Severity' },
	floodStatus: { zh: '状态', en: 'Status' },
	floodStatus_active: { zh: '活跃', en: 'Active' },
	floodStatus_monitoring: { zh: '监测中', en: 'Monitoring' },
	floodStatus_fixed: { zh: '已整治', en: 'Fixed' },
	floodIncidents: { zh: '积水记录', en: 'Incidents' },
	floodIncidentCount: { zh: '{n} 次积水', en: '{n} incidents' },
	floodDepth: { zh: '水深(厘米)', en: 'Depth (cm)' },
	floodRainfall: { zh: '降雨量(毫米)', en: 'Rainfall (mm)' },
	floodNoIncidents: { zh: '暂无积水记录', en: 'No incidents yet' },
	floodIssue: { zh: '上报问题', en: 'Reported by' },
	floodProject: { zh: '整治项目', en: 'Fixed by' },
	floodAddIncident: { zh: '登记积水', en: 'Record an incident' },
	floodOccurredOn: { zh: '日期', en: 'Date' },
	floodNote: { zh: '备注', en: 'Note' },
	floodSave: { zh: '保存', en: 'Save' },
	floodPickSpot: { zh: '在列表或地图上选一个积水点查看积水记录', en: 'Pick a spot in the list or on the map for its incidents' },
	rainAlert: { zh: '暴雨预警', en: 'Rain alert' },
	rainAlertOn: { zh: '预警中', en: 'On' },
	rainAlertOff: { zh: '当前没有暴雨预警', en: 'No rain alert is on' },
	rainAlertStart: { zh: '启动预警', en: 'Switch on' },
	rainAlertEnd: { zh: '解除预警', en: 'Switch off' },
	rainAlertNote: { zh: '雨情预报', en: 'Rainfall forecast' },
	rainAlertMetres: { zh: '积水点周边范围(米)', en: 'Around active spots (m)' },
	rainAlertProgress: { zh: '已巡查 {checked} / {total} 栋', en: 'Checked {checked} of {total} buildings' },
	rainAlertList: { zh: '巡查清单', en: 'Inspection list' },
	rainAlertCsv: { zh: '导出 CSV', en: 'Export CSV' },
	rainAlertPrint: { zh: '打印', en: 'Print' },
	rainAlertCheck: { zh: '巡查完成', en: 'Checked' },
	rainAlertCheckedAt: { zh: '{by} 已巡查 · {at}', en: 'Checked by {by} · {at}' },
	rainAlertDepth: { zh: '水深(厘米,无积水填 0)', en: 'Water depth (cm, 0 when dry)' },
	rainAlertGridWorkers: { zh: '网格员', en: 'Grid workers' },
	rainAlertHeads: { zh: '楼栋长', en: 'Building heads' },
	rainAlertHouseholds: { zh: '{n} 户', en: '{n} households' },
	rainAlertNearest: { zh: '距积水点 {code} {m} 米', en: '{m} m from flood spot {code}' },
	rainAlertEmpty: { zh: '清单上没有您的楼栋', en: 'None of your buildings is on the list' },
	rainAlertStartedAt: { zh: '{by} 启动于 {at}', en: 'Switched on by {by} at {at}' },
	rainAlertRefresh: { zh: '刷新', en: 'Refresh' },
	rainAlertNoGrid: { zh: '无网格', en: 'No grid' },
	rainAlertLegend: { zh: '网格巡查进度', en: 'Inspection progress per grid' },
	layers: { zh: '图层', en: 'Layers' },
	legend: { zh: '图例', en: 'Legend' },
	close: { zh: '关闭', en: 'Close' },
	pickLevel: { zh: '点选层级', en: 'Click selects' },
	searchPlaceholder: { zh: '搜索区域、地址、人员…', en: 'Search areas, addresses, people…' },
	searchLabel: { zh: '搜索', en: 'Search' },
	searchNone: { zh: '没有找到结果', en: 'No results' },
	searchTooShort: { zh: '请至少输入两个字', en: 'Type at least two characters' },
	loading: { zh: '加载中…', en: 'Loading…' },
	loadFailed: { zh: '加载失败', en: 'Could not load' },
	nothingHere: { zh: '此处没有该层级的区域', en: 'No area of this level here' },
	code: { zh: '编码', en: 'Code' },
	issues: { zh: '问题', en: 'Issues' },
	issuesTotal: { zh: '问题总数', en: 'Issues' },
	overdue: { zh: '已超期', en: 'Overdue' },
	households: { zh: '户数', en: 'Households' },
	buildingCount: { zh: '楼栋数', en: 'Buildings' },
	byStatus: { zh: '按状态', en: 'By status' },
	byCategory: { zh: '按类别', en: 'By category' },
	byMatterType: { zh: '五事分流', en: 'Matter type (五事)' },
	issueList: { zh: '问题清单', en: 'Issue list' },
	allStatuses: { zh: '全部状态', en: 'All statuses' },
	allCategories: { zh: '全部类别', en: 'All categories' },
	noIssues: { zh: '没有符合条件的问题', en: 'No matching issues' },
	previous: { zh: '上一页', en: 'Previous' },
	next: { zh: '下一页', en: 'Next' },
	pageOf: { zh: '第 {page} / {pages} 页', en: 'Page {page} of {pages}' },
	reportedAt: { zh: '上报', en: 'Reported' },
	dueAt: { zh: '时限', en: 'Due' },
	people: { zh: '责任人员', en: 'People responsible' },
	noPeople: { zh: '暂无在任人员', en: 'Nobody assigned' },
	departments: { zh: '联系单位', en: 'Liaison departments' },
	leadUnit: { zh: '牵头单位', en: 'Lead unit' },
	personRoles: { zh: '任职', en: 'Assignments' },
	person: { zh: '人员', en: 'Person' },
	personProfile: { zh: '人员档案', en: 'Profile' },
	roster: { zh: '人员名册', en: 'Roster' },
	editBoundary: { zh: '调整边界', en: 'Edit boundary' },
	zoomInToSee: { zh: '放大后可见', en: 'Zoom in to see' },
	signIn: { zh: '登录', en: 'Sign in' },
	signOut: { zh: '退出', en: 'Sign out' },
	outlinesOnly: { zh: '未登录 · 仅显示区域边界', en: 'Not signed in · outlines only' },
	signInToSee: { zh: '登录后可查看问题、户数和责任人员。', en: 'Sign in to see issues, households and the people responsible.' },
	signInForData: { zh: '登录后可见', en: 'Sign in to see' },
	partialData: { zh: '仅统计您辖区内的数据', en: 'Figures cover your territory only' },
	collapse: { zh: '收起', en: 'Collapse' },
	choropleth: { zh: '专题着色', en: 'Thematic colouring' },
	choroplethNone: { zh: '不着色', en: 'None' },
	choroplethLevel: { zh: '着色层级', en: 'Level' },
	noData: { zh: '无数据', en: 'No data' },
	basemap: { zh: '底图', en: 'Basemap' },
	offlineTiles: { zh: '离线瓦片', en: 'Offline tiles' },
	offlineTilesOpen: { zh: '打开本机 PMTiles 文件', en: 'Open a PMTiles file on this device' },
	offlineTilesShowing: { zh: '正在显示', en: 'Showing' },
	offlineTilesServer: { zh: '改用服务器瓦片', en: 'Back to the server’s tiles' },
	offlineTilesConfigured: { zh: '改用配置的离线瓦片', en: 'Back to the configured archive' },
	county: { zh: '县界', en: 'County outline' },
	issueOpen: { zh: '办理中', en: 'Open' },
	issueOverdue: { zh: '已超期', en: 'Overdue' },
	issueFinished: { zh: '已办结', en: 'Finished' },
	issueHeat: { zh: '缩小时显示热力', en: 'Heat map when zoomed out' },
	heat: { zh: '热力', en: 'Density' },
	lowRise: { zh: '低层', en: 'Low-rise' },
	highRise: { zh: '高层', en: 'High-rise' },
	allValues: { zh: '全部', en: 'All' },
	countyAttribution: { zh: '县界: Vonng/adcode (CC BY 4.0)', en: 'County outline: Vonng/adcode (CC BY 4.0)' },
	buildingsExtruded: { zh: '放大后按层数立体显示', en: 'Extruded by floors when zoomed in' },
	oldCompound: { zh: '老旧小区', en: 'Old compound' },
	compound: { zh: '小区', en: 'Compound' },
	demonstration: { zh: '示范', en: 'Demonstration' },
	openPanel: { zh: '展开', en: 'Expand' },
	zoomToIssue: { zh: '定位到该问题', en: 'Show on map' },
	metric_issues_per_100_households: { zh: '每百户问题数', en: 'Issues per 100 households' },
	metric_overdue: { zh: '超期问题数', en: 'Overdue issues' },
	metric_households_per_worker: { zh: '网格员人均户数', en: 'Households per grid worker' },
	metric_buildings_without_head: { zh: '无楼栋长楼栋', en: 'Buildings without a head' },
	metric_visit_coverage: { zh: '本月走访覆盖率（%）', en: 'Visit coverage this month (%)' },
	reportHere: { zh: '在此上报问题', en: 'Report an issue here' },
	reportTitle: { zh: '上报问题', en: 'Report an issue' },
	reportAt: { zh: '位置 {lng}, {lat}', en: 'At {lng}, {lat}' },
	category: { zh: '类别', en: 'Category' },
	matterType: { zh: '五事分流', en: 'Matter type' },
	urgency: { zh: '紧急程度', en: 'Urgency' },
	description: { zh: '问题描述', en: 'Description' },
	titleOptional: { zh: '标题（可选）', en: 'Title (optional)' },
	photos: { zh: '照片（最多 6 张）', en: 'Photos (up to 6)' },
	photoUploading: { zh: '照片上传中…', en: 'Uploading photos…' },
	resolvedOnSite: { zh: '即知即办：已现场解决', en: 'Resolved on the spot (即知即办)' },
	send: { zh: '提交', en: 'Send' },
	cancel: { zh: '取消', en: 'Cancel' },
	sending: { zh: '提交中…', en: 'Sending…' },
	nearbyOpen: { zh: '附近 {metres} 米内已有同类未办结问题：', en: 'Open cases of this kind within {metres} m:' },
	nearbyNone: { zh: '附近没有同类未办结问题', en: 'No open case of this kind nearby' },
	reported: { zh: '已上报，编号 {code}', en: 'Reported as {code}' },
	openCase: { zh: '查看案件', en: 'Open the case' },
	workLists: { zh: '待办', en: 'To do' },
	workCount: { zh: '待办 {n}', en: 'To do: {n}' },
	list_register: { zh: '待立案', en: 'To register' },
	list_handle: { zh: '待处置', en: 'To handle' },
	list_acknowledge: { zh: '待报到', en: 'To acknowledge' },
	list_verify: { zh: '待核查', en: 'To verify' },
	list_escalated: { zh: '已吹哨', en: 'Escalated' },
	list_backlog: { zh: '挂账', en: 'Backlog' },
	list_reported_by_me: { zh: '我上报的', en: 'Reported by me' },
	emptyList: { zh: '没有待办案件', en: 'Nothing waiting' },
	ackDue: { zh: '报到时限', en: 'Acknowledge by' },
	caseTimeline: { zh: '办理经过', en: 'Timeline' },
	ownerChain: { zh: '责任链', en: 'Owner chain' },
	handler: { zh: '承办', en: 'Handler' },
	escalations: { zh: '吹哨报到', en: 'Escalations' },
	acknowledged: { zh: '已报到', en: 'Acknowledged' },
	notAcknowledged: { zh: '未报到', en: 'Not acknowledged' },
	late: { zh: '逾期', en: 'Late' },
	acknowledge: { zh: '报到', en: 'Acknowledge' },
	actions: { zh: '办理', en: 'Actions' },
	note: { zh: '意见', en: 'Note' },
	departmentsToEscalate: { zh: '吹哨部门', en: 'Departments to escalate to' },
	backlogReason: { zh: '挂账原因', en: 'Reason for backlog' },
	backlogReviewOn: { zh: '复查日期', en: 'Review on' },
	rating: { zh: '群众满意度', en: 'Resident rating' },
	rateByCall: { zh: '电话回访评价', en: 'Rating from a call' },
	ratingThanks: { zh: '感谢您的评价', en: 'Thank you for rating' },
	noCaseActions: { zh: '您当前无可办理的操作', en: 'Nothing for you to do on this case now' },
	changedMeanwhile: { zh: '案件已被他人更新，已刷新，请重新操作', en: 'Someone changed the case meanwhile; it is reloaded, please try again' },
	backToMap: { zh: '← 地图', en: '← Map' },
	publicReportTitle: { zh: '居民随手拍 · 问题反映', en: 'Report a problem (residents)' },
	publicReportHint: { zh: '在地图上点选问题位置，或使用当前位置。无需注册。', en: 'Click the map where the problem is, or use your position. No account needed.' },
	yourName: { zh: '称呼（可选）', en: 'Your name (optional)' },
	yourContact: { zh: '联系方式（可选）', en: 'Contact (optional)' },
	useMyPosition: { zh: '使用当前位置', en: 'Use my position' },
	pickOnMap: { zh: '请先在地图上点选位置', en: 'Click the map to place the report first' },
	keepLink: { zh: '请保存此链接，办结后可通过它评价：', en: 'Keep this link to rate the outcome later:' },
	exportCsv: { zh: '导出 CSV', en: 'Export CSV' },
	exportGeojson: { zh: '导出 GeoJSON', en: 'Export GeoJSON' },
	onSite: { zh: '即知即办', en: 'On the spot' },
	duplicateOf: { zh: '重复案件（原案件编号）', en: 'Duplicate of (case code)' },
	overlaysTitle: { zh: '改造与积水', en: 'Renovation and flooding' },
	overlaysProjects: { zh: '改造项目', en: 'Renovation projects' },
	overlaysFunds: { zh: '资金（计划 / 到位 / 已支出）', en: 'Funds (planned / secured / spent)' },
	overlaysHouseholds: { zh: '改造覆盖户数', en: 'Households covered' },
	overlaysSpots: { zh: '积水点', en: 'Flood spots' },
	tenThousandYuan: { zh: '{n} 万元', en: '¥{n} ×10k' },
	renoNew: { zh: '新建改造项目', en: 'New renovation project' },
	renoPickCompounds: { zh: '点选小区', en: 'Pick compounds' },
	renoDrawArea: { zh: '绘制范围', en: 'Draw the area' },
	renoPickHint: { zh: '在地图上点击小区以加入或移出项目范围', en: 'Click compounds on the map to add them to the area or take them out' },
	renoDrawHint: { zh: '在地图上逐点绘制范围，双击结束', en: 'Click the corners of the area on the map; double-click to finish' },
	renoPicked: { zh: '已选 {n} 个小区', en: '{n} compounds picked' },
	renoDrawn: { zh: '已绘制范围', en: 'Area drawn' },
	renoNoArea: { zh: '请先点选小区或绘制范围', en: 'Pick compounds or draw the area first' },
	renoCreate: { zh: '创建项目', en: 'Create project' },
	renoEditArea: { zh: '调整项目范围', en: 'Change the area' },
	renoSaveArea: { zh: '保存范围', en: 'Save the area' }

} satisfies Record<string, Pair>;
export type MessageKey = keyof typeof MESSAGES;

const LEVELS: Record<AreaLevel, Pair> = {
	street: { zh: '街道', en: 'Street' },
	community: { zh: '社区', en: 'Community' },
	grid: { zh: '网格', en: 'Grid' },
	compound: { zh: '小区', en: 'Compound' },
	building: { zh: '楼栋', en: 'Building' }
};

const ROLES: Record<Role, Pair> = {
	building_head: { zh: '楼栋长', en: 'Building head' },
	party_group_leader: { zh: '党小组长', en: 'Party group leader' },
	grid_worker: { zh: '网格员', en: 'Grid worker' },
	registered_party_member: { zh: '双报到党员', en: 'Registered party member' },
	community_secretary: { zh: '社区党委书记', en: 'Community party secretary' },
	first_secretary: { zh: '社区第一书记', en: 'First secretary' },
	street_secretary: { zh: '街道党工委书记', en: 'Street party secretary' },
	compound_branch_secretary: { zh: '小区党支部书记', en: 'Compound branch secretary' }
};

const STATUSES: Record<IssueStatus, Pair> = {
	reported: { zh: '已上报', en: 'Reported' },
	registered: { zh: '已立案', en: 'Registered' },
	rejected: { zh: '不予立案', en: 'Rejected' },
	dispatched: { zh: '已派遣', en: 'Dispatched' },
	in_progress: { zh: '处置中', en: 'In progress' },
	resolved: { zh: '已处置', en: 'Resolved' },
	verified: { zh: '已核查', en: 'Verified' },
	closed: { zh: '已结案', en: 'Closed' },
	returned: { zh: '已退回', en: 'Returned' },
	escalated: { zh: '已吹哨', en: 'Escalated' },
	backlog: { zh: '挂账', en: 'Backlog' }
};

const CATEGORIES: Record<IssueCategory, Pair> = {
	environment: { zh: '环境卫生', en: 'Environment' },
	infrastructure: { zh: '基础设施', en: 'Infrastructure' },
	parking: { zh: '停车管理', en: 'Parking' },
	property_management: { zh: '物业管理', en: 'Property management' },
	safety_hazard: { zh: '安全隐患', en: 'Safety hazard' },
	dispute: { zh: '矛盾纠纷', en: 'Dispute' },
	public_service: { zh: '民生服务', en: 'Public service' },
	illegal_construction: { zh: '违章建筑', en: 'Illegal construction' },
	municipal_facility: { zh: '市政设施', en: 'Municipal facility' },
	drainage: { zh: '排水防涝', en: 'Drainage' },
	greenery: { zh: '绿化养护', en: 'Greenery' },
	noise: { zh: '噪音扰民', en: 'Noise' }
};

const MATTER_TYPES: Record<MatterType, Pair> = {
	major: { zh: '大事', en: 'Major' },
	practical: { zh: '实事', en: 'Practical' },
	important: { zh: '要事', en: 'Important' },
	urgent: { zh: '急事', en: 'Urgent' },
	difficult: { zh: '难事', en: 'Difficult' }
};

const URGENCY: Record<Urgency, Pair> = {
	general: { zh: '一般', en: 'General' },
	urgent: { zh: '紧急', en: 'Urgent' }
};

/** Who a case is dispatched to. */
const HANDLER_KINDS = {
	grid_worker: { zh: '网格员', en: 'Grid worker' },
	community: { zh: '社区', en: 'Community' },
	department: { zh: '县级部门', en: 'Department' }
} satisfies Record<string, Pair>;

/** The action that moves a case to each status, as a button says it. */
const TRANSITION_ACTIONS: Record<IssueStatus, Pair> = {
	reported: { zh: '上报', en: 'Report' },
	registered: { zh: '立案', en: 'Register' },
	rejected: { zh: '不予立案', en: 'Reject' },
	dispatched: { zh: '派遣', en: 'Dispatch' },
	in_progress: { zh: '开始处置', en: 'Start handling' },
	resolved: { zh: '处置完毕', en: 'Mark resolved' },
	verified: { zh: '核查通过', en: 'Verify' },
	closed: { zh: '结案', en: 'Close' },
	returned: { zh: '退回返工', en: 'Return for rework' },
	escalated: { zh: '吹哨', en: 'Escalate' },
	backlog: { zh: '挂账', en: 'Put on backlog' }
};

const RENOVATION_STATUSES: Record<RenovationStatus, Pair> = {
	planned: { zh: '规划', en: 'Planned' },
	approved: { zh: '立项', en: 'Approved' },
	under_construction: { zh: '施工', en: 'Under construction' },
	completed: { zh: '完工', en: 'Completed' },
	accepted: { zh: '验收', en: 'Accepted' }
};

const FLOOD_SEVERITIES: Record<FloodSeverity, Pair> = {
	low: { zh: '轻度', en: 'Low' },
	medium: { zh: '中度', en: 'Medium' },
	high: { zh: '严重', en: 'High' }
};

/** The map's layers as the layer panel names them. */
const MAP_LAYERS = {
	streets: { zh: '街道', en: 'Streets' },
	communities: { zh: '社区', en: 'Communities' },
	grids: { zh: '网格', en: 'Grids' },
	compounds: { zh: '小区', en: 'Compounds' },
	buildings: { zh: '楼栋', en: 'Buildings' },
	issues: { zh: '问题', en: 'Issues' },
	renovation: { zh: '改造项目', en: 'Renovation' },
	flood: { zh: '积水点', en: 'Flood spots' },
	basemap: { zh: '底图', en: 'Basemap' }
} satisfies Record<string, Pair>;
export type MapLayerName = keyof typeof MAP_LAYERS;

/** Account roles, as the toolbar names the signed-in user. */
const USER_ROLES = {
	admin: { zh: '管理员', en: 'Administrator' },
	planner: { zh: '县领导', en: 'County planner' },
	housing: { zh: '住建局', en: 'Housing bureau' },
	department: { zh: '县级部门', en: 'Department' },
	community_admin: { zh: '社区', en: 'Community' },
	grid_worker: { zh: '网格员', en: 'Grid worker' },
	building_head: { zh: '楼栋长', en: 'Building head' }
} satisfies Record<string, Pair>;

const TABLES = {
	level: LEVELS,
	role: ROLES,
	status: STATUSES,
	category: CATEGORIES,
	matterType: MATTER_TYPES,
	urgency: URGENCY,
	handlerKind: HANDLER_KINDS,
	action: TRANSITION_ACTIONS,
	renovationStatus: RENOVATION_STATUSES,
	floodSeverity: FLOOD_SEVERITIES,
	layer: MAP_LAYERS,
	userRole: USER_ROLES
} as const;
export type LabelTable = keyof typeof TABLES;

/** A UI message, with `{name}` placeholders filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
	const text = MESSAGES[key][locale];
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The label of a domain code (a status, role, category…); an unknown code shows as itself. */
export function label(locale: Locale, table: LabelTable, code: string): string {
	const entry = (TABLES[table] as Record<string, Pair>)[code];
	return entry ? entry[locale] : code;
}

/** The BCP 47 tag for dates and numbers. */
export function localeTag(locale: Locale): string {
	return locale === 'zh' ? 'zh-CN' : 'en-GB';
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * An instant as people in Hejiang read it: China Standard Time whatever the device's zone
 * (a deadline at 18:00 is 18:00 at the county office), '—' for none.
 */
export function formatInstant(locale: Locale, iso: string | null, withYear = true): string {
	if (!iso) return '—';
	return new Date(iso).toLocaleString(localeTag(locale), {
		timeZone: 'Asia/Shanghai',
		...(withYear ? { year: 'numeric' } : {}),
		month: 'numeric',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	});
}
