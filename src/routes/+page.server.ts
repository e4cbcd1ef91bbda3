import { env } from '$env/dynamic/private';

/**
 * The map page needs no data to render: the map fetches tiles and JSON itself. What it takes
 * from the server is who is signed in (the figures follow their scope), an optional raster
 * basemap (off unless BASEMAP_TILES is set, since intranets are offline) and whether
 * end-to-end tests may reach into the map.
 */
export function load({ locals }) {
	const tiles = env.BASEMAP_TILES?.trim();
	return {
		user: locals.user ? { username: locals.user.username, role: locals.user.role } : null,
		basemap: tiles ? { tiles, attribution: env.BASEMAP_ATTRIBUTION?.trim() ?? '' } : null,
		testHooks: env.MAP_TEST_HOOKS === '1'
	};
}
