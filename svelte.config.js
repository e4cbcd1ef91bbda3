import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The Node server in src/server/ mounts build/handler.js, so the adapter emits a handler.
		adapter: adapter({ out: 'build' }),
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
