import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { appDatabase } from '$lib/server/platform/app-database';
import { scopeFor } from '$lib/server/ownership/territory';
import { communityOutlines } from '$lib/server/ownership/territory-areas';
import * as serviceLists from '$lib/server/governance/service-lists';

/** 三张清单 (issue 14, part 3): resources, demands and projects the caller may read. */
export async function load({ locals, url }) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const db = await appDatabase();
	const scope = await scopeFor(db.knex, locals.user);
	const [resources, demands, projects, options, outlines] = await Promise.all([
		serviceLists.listResources(db.knex, locals.user, scope),
		serviceLists.listDemands(db.knex, locals.user, scope),
		serviceLists.listProjects(db.knex, locals.user, scope),
		serviceLists.formOptions(db.knex, locals.user, scope),
		communityOutlines(db.knex, scope)
	]);
	const tab = url.searchParams.get('tab');
	return { resources, demands, projects, ...options, outlines, testHooks: env.MAP_TEST_HOOKS === '1', tab: (tab === 'demands' || tab === 'projects' ? tab : 'resources') as 'resources' | 'demands' | 'projects' };
}
