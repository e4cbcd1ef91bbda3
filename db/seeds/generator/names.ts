/**
 * Chinese name pools for the sample: people, roads, compounds, departments, and the generated
 * streets and communities that only exist at scale > 1. Real names of the seed come first;
 * every generator here is a pure function of an index (plus a stream where variety is wanted).
 */
import type { Rng } from './random.js';

/** Surnames, most frequent first (roughly the Sichuan ranking); 先 is a local Hejiang surname. */
const SURNAMES = [
	'王', '李', '张', '刘', '陈', '杨', '黄', '罗', '何', '赵', '周', '吴', '曾', '邓', '袁',
	'谢', '唐', '蒋', '冯', '胡', '徐', '彭', '任', '余', '肖', '廖', '先', '郑', '向', '朱',
	'林', '梁', '宋', '许', '韩', '曹', '田', '董', '潘', '杜', '叶', '程', '苏', '魏', '吕',
	'丁', '沈', '姚', '卢', '姜', '钟', '谭', '陆', '汪', '范', '石', '贾', '夏', '付', '方',
	'邹', '熊', '秦', '江', '尹', '雷', '侯', '龙', '史', '陶', '黎', '贺', '毛', '穆', '龚'
];

/** Characters of given names, mixed so that one- and two-character names both read naturally. */
const GIVEN = [
	'建', '国', '华', '明', '军', '平', '伟', '芳', '丽', '英', '秀', '兰', '红', '玉', '志',
	'强', '勇', '刚', '敏', '静', '霞', '燕', '涛', '林', '波', '辉', '杰', '鹏', '娟', '琴',
	'梅', '萍', '云', '春', '海', '文', '斌', '俊', '婷', '雪', '晓', '颖', '磊', '鑫', '宇',
	'浩', '欣', '怡', '佳', '琳', '德', '福', '贵', '荣', '成', '永', '光', '清', '树', '兵',
	'健', '超', '龙', '凤', '蓉', '川', '渝', '江', '莉', '洁', '倩', '娅', '婧', '彬', '鸿',
	'宏', '学', '忠', '良', '泽', '润', '锋', '勤', '淑', '桂', '珍', '琼', '莲', '翠', '秋',
	'东', '昌', '发', '富', '顺', '利', '先', '银', '金', '小', '家', '思', '雨', '子', '一'
];

export function personName(rng: Rng): string {
	// A Zipf-like draw: common surnames are much more common, as in any roster.
	const s = Math.floor(SURNAMES.length * rng.next() ** 2.2);
	const given = rng.chance(0.3) ? rng.pick(GIVEN) : rng.pick(GIVEN) + rng.pick(GIVEN);
	return SURNAMES[s] + given;
}

const MOBILE_PREFIXES = ['38', '39', '37', '36', '35', '50', '51', '52', '58', '59', '87', '88', '82', '83', '89', '33', '53', '77', '80', '81', '86', '99'];

/**
 * A mobile number for person number `index`: the last 8 digits are an affine scramble of the
 * index (multiplier coprime with 10), so numbers never repeat below 10^8 people.
 */
export function phoneNumber(index: number, key: number): string {
	const tail = (index * 73939133 + (key % 100_000_000)) % 100_000_000;
	return '1' + MOBILE_PREFIXES[index % MOBILE_PREFIXES.length] + String(tail).padStart(8, '0');
}

/**
 * The 78 county departments (县级部门及单位) that liaise with communities and receive
 * escalated issues, in the short forms used in Hejiang's own documents.
 */
export const DEPARTMENTS: readonly string[] = [
	'县委办公室', '县人大常委会办公室', '县政府办公室', '县政协办公室', '县纪委监委机关',
	'县委组织部', '县委宣传部', '县委统战部', '县委政法委', '县委编办',
	'县委网信办', '县委政研室', '县委巡察办', '县委老干部局', '县委党校',
	'县直机关工委', '县发改局', '县教体局', '县经科信局', '县公安局',
	'县民政局', '县司法局', '县财政局', '县人社局', '县自然资源和规划局',
	'泸州市合江生态环境局', '县住建局', '县交通运输局', '县水务局', '县农业农村局',
	'县商务局', '县文广旅局', '县卫健局', '县退役军人事务局', '县应急管理局',
	'县审计局', '县市场监管局', '县统计局', '县医保局', '县林业竹业局',
	'县综合行政执法局', '县信访局', '县行政审批局', '县乡村振兴局', '县机关事务服务中心',
	'县投资促进局', '县国资中心', '县总工会', '团县委', '县妇联',
	'县科协', '县残联', '县工商联', '县文联', '县红十字会',
	'县人民法院', '县人民检察院', '县人武部', '县消防救援大队', '县税务局',
	'县气象局', '县烟草专卖局', '国网合江县供电公司', '县供排水公司', '合江邮政分公司',
	'县人民医院', '县中医医院', '县妇幼保健院', '县疾控中心', '县融媒体中心',
	'县档案馆', '县图书馆', '县城投公司', '县供销社', '县住房公积金管理中心',
	'县不动产登记中心', '县地方志办公室', '县金融工作局'
];

/** The real streets and communities of the county seat (2016 codes, with the two generated ones). */
export const REAL_STREETS = [
	{
		code: '510522001000',
		name: '符阳街道',
		communities: [
			['510522100001', '马街社区'],
			['510522100002', '百花亭社区'],
			['510522100003', '建设路社区'],
			['510522100004', '枣林桥社区'],
			['510522100005', '菜坝社区'],
			['510522100006', '桂园林社区'],
			['510522100007', '义园街社区'],
			['510522100008', '桥凼社区']
		]
	},
	{
		code: '510522002000',
		name: '临港街道',
		communities: [
			['510522109001', '兴隆社区'],
			['510522109002', '五里坡社区'],
			['510522109003', '联榕坝社区'],
			['510522002001', '临港社区'],
			['510522002002', '滨江社区']
		]
	}
] as const;

const PLACE_FIRST = [
	'东', '西', '南', '北', '金', '银', '玉', '龙', '凤', '松', '柏', '竹', '梅', '兰', '枫',
	'桃', '杏', '柳', '榕', '桐', '云', '霞', '星', '月', '阳', '春', '秋', '清', '明', '安',
	'宁', '康', '泰', '和', '福', '寿', '长', '乐', '永', '丰', '新', '华', '文', '德', '仁',
	'锦', '绣', '江', '河', '湖', '石', '青', '白', '黄', '紫', '翠', '碧', '红', '丹', '茶'
];
const PLACE_SECOND = [
	'山', '桥', '湾', '坝', '坪', '岗', '塘', '苑', '园', '城', '门', '庄', '溪', '泉', '池',
	'岭', '坡', '台', '亭', '港', '渡', '堡', '院', '林', '湖', '滩', '洲', '田', '沟', '嘴'
];

/** A two-character place name, a bijection of index on the pool (then repeats with 二/三…). */
function placeName(index: number): string {
	const size = PLACE_FIRST.length * PLACE_SECOND.length;
	// Stride through the pool so that neighbouring indices do not share a first character.
	const k = (index * 37) % size;
	const round = Math.floor(index / size);
	const name = PLACE_FIRST[k % PLACE_FIRST.length] + PLACE_SECOND[Math.floor(k / PLACE_FIRST.length)];
	return round === 0 ? name : name + CHINESE_DIGITS[(round % 9) + 1];
}

const CHINESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

const REAL_COMMUNITY_NAMES = new Set<string>(
	REAL_STREETS.flatMap((s) => s.communities.map(([, name]) => name))
);

/** Name of a generated community (scale > 1); never one of the real names. */
export function generatedCommunityName(index: number): string {
	let i = index;
	for (;;) {
		const name = placeName(i) + '社区';
		if (!REAL_COMMUNITY_NAMES.has(name)) return name;
		i += 1_000_003;
	}
}

const STREET_NAMES = [
	'东城', '西城', '南城', '北城', '江北', '凤凰', '锦江', '龙湖', '金山', '玉泉', '白塔', '望江',
	'新城', '城北', '城南', '滨河', '临江', '文昌', '华阳', '清溪', '九龙', '长安', '高桥', '双龙'
];

/** Name of a generated street (street number ≥ 3, 1-based). */
export function generatedStreetName(streetNumber: number): string {
	const i = streetNumber - 3;
	if (i < STREET_NAMES.length) return STREET_NAMES[i] + '街道';
	return placeName(i + 500) + '街道';
}

/** Road names: real-sounding ones of the county seat first, then generated ones. */
const ROADS = [
	'符阳大道', '人民路', '新华路', '滨江路', '少岷路', '建设路', '马街', '义园街', '桂园路',
	'枣林路', '菜坝路', '桥凼路', '荔城大道', '笔架山路', '东门路', '西门路', '南关路', '北街',
	'兴隆路', '五里坡路', '联榕路', '临港大道', '长江路', '赤水河路', '江城路', '文化路',
	'学府路', '体育路', '锦绣路', '凤凰路', '九支路', '白米路', '望龙路', '榕山路', '金龙大道',
	'玉带路', '钟鼓楼街', '黉学街', '会馆街', '大北街'
];
const ROAD_SUFFIXES = ['路', '街', '大道', '巷'];

/** The road of a (street, lattice row); 千藤街 is kept out because the seed's 千藤街48号 owns it. */
export function roadName(index: number): string {
	if (index < ROADS.length) return ROADS[index];
	const i = index - ROADS.length;
	return placeName(i + 1000) + ROAD_SUFFIXES[i % ROAD_SUFFIXES.length];
}

const NEW_COMPOUND_PREFIX = [
	'锦江', '滨江', '阳光', '翠苑', '桂花', '新城', '紫荆', '丽景', '盛世', '金沙', '时代', '御景',
	'凤凰', '金科', '碧桂', '香榭', '锦绣', '云顶', '龙湾', '水岸', '望江', '天立', '书香', '东方',
	'华庭', '世纪', '长江', '赤水', '金域', '学府', '欧郡', '城南', '江山', '北城', '天誉', '尚品'
];
const NEW_COMPOUND_SUFFIX = ['华府', '花园', '小区', '家园', '苑', '公馆', '名都', '雅居', '新城', '壹号'];
const OLD_COMPOUND_PREFIX = [
	'粮站', '供销社', '酒厂', '丝厂', '农机厂', '食品站', '水泥厂', '航运站', '糖厂', '化肥厂',
	'运输公司', '二轻局', '百货公司', '农资公司', '医药公司', '印刷厂', '电影院', '邮电局',
	'老税务局', '老县医院', '木材公司', '机械厂', '棉纺厂', '氮肥厂', '老城关', '瓷厂'
];
const OLD_COMPOUND_SUFFIX = ['宿舍', '家属院', '小区', '大院'];

/** Names the seed reserves for its named compounds. */
export const SEED_COMPOUNDS = { jiangyuanping: '酱园坪', lichenghuafu: '荔城华府', jiangnan: '江南小区' } as const;
const RESERVED = new Set<string>(Object.values(SEED_COMPOUNDS));

/**
 * Compound name for compound number `index` (global). A bijection of the index on each pool,
 * so names only repeat (with a phase suffix) once the pool is exhausted.
 */
export function compoundName(index: number, isOld: boolean): string {
	const first = isOld ? OLD_COMPOUND_PREFIX : NEW_COMPOUND_PREFIX;
	const second = isOld ? OLD_COMPOUND_SUFFIX : NEW_COMPOUND_SUFFIX;
	const size = first.length * second.length;
	// 7919 is prime and coprime with both pool sizes: a stride that scatters neighbours.
	const k = (index * 7919) % size;
	const round = Math.floor(index / size);
	let name = first[k % first.length] + second[Math.floor(k / first.length)];
	if (round > 0) name += CHINESE_DIGITS[(round % 9) + 1] + '期';
	return RESERVED.has(name) ? name + '二期' : name;
}

const COMPANY_BRANDS = ['锦程', '惠民', '安居', '乐家', '荔城', '江阳', '和美', '邻里', '诚信', '优家', '华信', '嘉宁'];

export function propertyCompany(rng: Rng): string {
	return `合江县${rng.pick(COMPANY_BRANDS)}物业服务有限公司`;
}

/**
 * Issue titles by category: `building` when the issue is about a building or compound, `road`
 * when it is only a point on a street (so a road never gets "楼道堆放杂物"). {p} is the place.
 */
export const ISSUE_TITLES: Record<string, { building: readonly string[]; road: readonly string[] }> = {
	environment: {
		building: ['{p}垃圾清运不及时', '{p}楼道堆放杂物', '{p}生活垃圾乱倒', '{p}化粪池外溢有异味'],
		road: ['{p}沿街垃圾清运不及时', '{p}路边垃圾乱倒', '{p}占道堆放杂物']
	},
	infrastructure: {
		building: ['{p}楼道灯损坏', '{p}外墙瓷砖脱落', '{p}单元门禁损坏', '{p}屋面渗漏'],
		road: ['{p}公共设施损坏', '{p}公厕设施损坏', '{p}公交站台破损']
	},
	parking: {
		building: ['{p}车辆乱停乱放', '{p}非机动车占用消防通道', '{p}停车位不足', '{p}僵尸车长期占道'],
		road: ['{p}车辆乱停乱放', '{p}非机动车占用人行道', '{p}僵尸车长期占道']
	},
	property_management: {
		building: ['{p}物业服务不到位', '{p}物业费收缴纠纷', '{p}电梯维保不及时', '{p}无物业管理'],
		road: ['{p}沿街商铺门前三包落实不到位', '{p}无主楼院缺少管理']
	},
	safety_hazard: {
		building: ['{p}电动车楼道充电', '{p}燃气管道老化', '{p}消防设施缺失', '{p}围墙开裂存在隐患'],
		road: ['{p}电线私拉乱接', '{p}广告牌松动存在隐患', '{p}边坡落石隐患']
	},
	dispute: {
		building: ['{p}邻里漏水纠纷', '{p}相邻通行纠纷', '{p}装修噪音引发矛盾', '{p}宠物扰邻纠纷'],
		road: ['{p}占道经营引发纠纷', '{p}商户与居民噪音纠纷', '{p}施工扰民引发矛盾']
	},
	public_service: {
		building: ['{p}老年人助餐需求', '{p}独居老人需定期探访', '{p}社保认证咨询', '{p}残疾人帮扶需求'],
		road: ['{p}缺少便民服务点', '{p}老年人助餐点需求', '{p}流动摊贩管理需求']
	},
	illegal_construction: {
		building: ['{p}屋顶违章搭建', '{p}私搭乱建雨棚', '{p}占用公共绿地建房', '{p}底楼私自开门'],
		road: ['{p}沿街违章搭建', '{p}占用人行道搭建棚架', '{p}私自圈占公共用地']
	},
	municipal_facility: {
		building: ['{p}门前路灯不亮', '{p}门前井盖缺失', '{p}门前人行道破损'],
		road: ['{p}路灯不亮', '{p}人行道板破损', '{p}井盖缺失', '{p}路面坑洼']
	},
	drainage: {
		building: ['{p}雨后积水严重', '{p}排水管网堵塞', '{p}雨水倒灌', '{p}下水道返臭'],
		road: ['{p}雨后积水严重', '{p}排水管网堵塞', '{p}雨水篦子堵塞', '{p}下水道返臭']
	},
	greenery: {
		building: ['{p}绿化带缺株', '{p}树木倒伏', '{p}绿地被毁种菜', '{p}树枝遮挡采光'],
		road: ['{p}行道树枝叶遮挡', '{p}绿化带缺株', '{p}树木倒伏']
	},
	noise: {
		building: ['{p}夜间施工噪音', '{p}广场舞噪音扰民', '{p}商铺音响扰民', '{p}空调外机噪音'],
		road: ['{p}夜间施工噪音', '{p}广场舞噪音扰民', '{p}商铺音响扰民']
	}
};
