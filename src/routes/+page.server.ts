import { env } from '$env/dynamic/private';
import { pageLoad } from '$lib/server/http/pages';

/**
 * The map page needs no data to render: the map fetches tiles and JSON itself. What it takes
 * from the server is who is signed in (the figures follow their scope), an optional raster
 * basemap (off unless BASEMAP_TILES is set, since intranets are offline), an optional PMTiles
 * archive the vector layers come from instead of /tiles (MAP_PMTILES), and whether
 * end-to-end tests may reach into the map.
 */
export const load = pageLoad({ signIn: false }, ({ user, url }) => {
	const tiles = env.BASEMAP_TILES?.trim();
	return {
		user: user ? { username: user.username, role: user.role } : null,
		basemap: tiles ? { tiles, attribution: env.BASEMAP_ATTRIBUTION?.trim() ?? '' } : null,
		tileArchive: tileArchive(env.MAP_PMTILES, url.origin),
		testHooks: env.MAP_TEST_HOOKS === '1'
	};
});

/**
 * MAP_PMTILES as a path on this server (`/offline/<file>.pmtiles`, or a full URL of this
 * origin). The pages' policy lets the map connect to this server only, so a URL on another
 * host is ignored, with a warning, rather than left to fail in the browser.
 */
function tileArchive(value: string | undefined, origin: string): string | null {
	const raw = value?.trim();
	if (!raw) return null;
	let parsed: URL;
	try {
		parsed = new URL(raw, origin);
	} catch {
		console.warn(`MAP_PMTILES '${raw}' is not a URL or path; the map uses /tiles`);
		return null;
	}
	if (parsed.origin !== origin) {
		console.warn(`MAP_PMTILES '${raw}' is on another host, which the map may not connect to; serve it under /offline/ (PMTILES_DIR)`);
		return null;
	}
	return parsed.pathname + parsed.search;
}
