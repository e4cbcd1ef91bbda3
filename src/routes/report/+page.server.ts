import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';

/** The public form needs nothing from the database before it is shown; only whether tests may reach its map. */
export const load = pageLoad({ signIn: false }, () => ({ testHooks: env.MAP_TEST_HOOKS === '1' }));
