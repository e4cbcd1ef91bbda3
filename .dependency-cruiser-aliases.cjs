/**
 * SvelteKit's import aliases for dependency-cruiser, in the shape of a webpack config (the
 * form it reads aliases in): the paths of .svelte-kit/tsconfig.json are relative to that
 * file, which the tsconfig-paths resolver dependency-cruiser uses does not follow.
 */
const path = require('node:path');

module.exports = {
	resolve: {
		alias: { $lib: path.join(__dirname, 'src/lib') }
	}
};
