import { env } from '$env/dynamic/private';

/** The public form needs nothing from the database before it is shown; only whether tests may reach its map. */
export function load() {
	return { testHooks: env.MAP_TEST_HOOKS === '1' };
}
