/** Role and level names for the UI: Chinese first, English second. */
export const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
	building_head: { zh: '楼栋长', en: 'Building head' },
	party_group_leader: { zh: '党小组长', en: 'Party group leader' },
	grid_worker: { zh: '网格员', en: 'Grid worker' },
	registered_party_member: { zh: '双报到党员', en: 'Registered party member' },
	community_secretary: { zh: '社区党委书记', en: 'Community secretary' },
	first_secretary: { zh: '社区第一书记', en: 'First secretary' },
	street_secretary: { zh: '街道党工委书记', en: 'Street secretary' },
	compound_branch_secretary: { zh: '小区党支部书记', en: 'Compound branch secretary' }
};

export const LEVEL_NAMES: Record<string, { zh: string; en: string }> = {
	street: { zh: '街道', en: 'Street' },
	community: { zh: '社区', en: 'Community' },
	grid: { zh: '网格', en: 'Grid' },
	compound: { zh: '小区', en: 'Compound' },
	building: { zh: '楼栋', en: 'Building' }
};

export const roleName = (role: string) => ROLE_NAMES[role]?.zh ?? role;
export const levelName = (level: string) => LEVEL_NAMES[level]?.zh ?? level;
