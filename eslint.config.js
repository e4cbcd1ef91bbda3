/**
 * ESLint as a new SvelteKit project starts with it (`npx sv create`: @eslint/js,
 * typescript-eslint, eslint-plugin-svelte, with eslint-config-prettier leaving layout to
 * Prettier), fitted to this codebase: the rules turned off below fight a deliberate style,
 * each says why. `npm run lint` runs it after `prettier --check`.
 */
import prettier from 'eslint-config-prettier';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
	globalIgnores(['build/', '.svelte-kit/', 'data/', 'geodata/', 'test-results/', 'node_modules/', 'static/', 'src/lib/server/interfaces/cql2-parser.generated.js']),
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// TypeScript checks names itself (svelte-check); ESLint's own check does not know types or Svelte's runes.
			'no-undef': 'off',
			// A leading underscore names what is left out on purpose: `const { password_hash: _, ...user } = row`,
			// an Express error handler's unused `_next`, a sort's unused arguments.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }
			],
			// Refusing control characters in input (plain-text checks, CSV cells, terminal colours in
			// a server's output) is what those patterns are for.
			'no-control-regex': 'off',
			// The app is served at the root (no kit.paths.base): a plain href is the page's address, and
			// resolve() around each of the 110 links would change nothing.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Config files that tools load with require().
		files: ['**/*.cjs'],
		languageOptions: { sourceType: 'commonjs' },
		rules: { '@typescript-eslint/no-require-imports': 'off' }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	}
);
