import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';
import { communityOutlines } from '$lib/server/ownership/territory-areas';
import * as serviceLists from '$lib/server/governance/service-lists';

/** 三张清单 (issue 14, part 3): resources, demands and projects the caller may read. */
export const load = pageLoad({ signIn: true, backWithQuery: true }, async ({ db, user, scope, url }) => {
	const [resources, demands, projects, options, outlines] = await Promise.all([
		serviceLists.listResources(db.knex, user, scope),
		serviceLists.listDemands(db.knex, user, scope),
		serviceLists.listProjects(db.knex, user, scope),
		serviceLists.formOptions(db.knex, user, scope),
		communityOutlines(db.knex, scope)
	]);
	const tab = url.searchParams.get('tab');
	return { resources, demands, projects, ...options, outlines, testHooks: env.MAP_TEST_HOOKS === '1', tab: (tab === 'demands' || tab === 'projects' ? tab : 'resources') as 'resources' | 'demands' | 'projects' };
});
