import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The Node server in src/server/ mounts build/handler.js, so the adapter emits a handler.
		adapter: adapter({ out: 'build' }),
		// Writes from another site are refused in hooks.server.ts for every content type (JSON
		// and DELETE too, which SvelteKit's own check, for form posts only, lets through), with
		// an answer in JSON under /api; that check replaces SvelteKit's.
		csrf: { trustedOrigins: ['*'] },
		// Pages load only from this server (an intranet is offline): SvelteKit's own inline
		// script is allowed by hash; MapLibre's worker and the images it decodes may be blobs;
		// nothing comes from another host. An optional basemap's host is added at run time
		// (hooks.server.ts). Svelte sets style attributes, hence 'unsafe-inline' for styles.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
