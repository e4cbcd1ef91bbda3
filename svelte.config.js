import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The Express server in src/server/ mounts build/handler.js, so the adapter emits a handler.
		adapter: adapter({ out: 'build' })
	}
};

export default config;
