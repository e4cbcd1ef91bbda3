/**
 * The import rules of the tree (issue 22, point 6), checked by `npm run deps:check` and so by
 * `npm test`. The layers, from the bottom:
 *
 * - domain modules: src/lib/server/<concept>/ (every folder but http/) — plain verbs on plain
 *   values; they never see a request, a route or a component;
 * - the HTTP layer: src/lib/server/http/ — reads requests, checks permissions, shapes replies;
 * - routes and components, and the browser code (src/lib/client, src/lib/components, pages),
 *   which sees the server only through the response types of src/lib/server/types.ts, and
 *   only with `import type` (erased from the bundle).
 *
 * dependency-cruiser compiles a .svelte file before reading it, which erases its `import type`
 * lines: tests/unit/browser-imports.test.ts reads those in the source instead.
 */

/** Domain modules: every folder of src/lib/server except http/. */
const DOMAIN = '^src/lib/server/(?!http/)[^/]+/';
/** What runs in the browser. */
const BROWSER = ['^src/lib/client/', '^src/lib/components/', '^src/routes/.*[.]svelte$', '^src/routes/.*[+](page|layout)[.]ts$'];
/** The one server module the browser may read (types only). */
const SHARED_TYPES = '^src/lib/server/types[.]ts$';
/** Shared by server and browser: must not pull the server in either. */
const SHARED = ['^src/lib/(domain|geo|messages)/', '^src/lib/[^/]+[.]ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			severity: 'error',
			comment: 'An import circle: the modules cannot be understood, tested or loaded one without the other. Move what both need into a third module.',
			from: {},
			to: { circular: true }
		},
		{
			name: 'domain-not-to-http',
			severity: 'error',
			comment: "A domain module exports plain verbs on plain values; reading requests and shaping replies is the HTTP layer's job (src/lib/server/http/).",
			from: { path: DOMAIN },
			to: { path: ['^src/lib/server/http/', '^src/routes/', '^src/lib/components/', '^src/hooks'] }
		},
		{
			name: 'browser-not-to-server',
			severity: 'error',
			comment: 'Browser code reads the server only through the response types of src/lib/server/types.ts.',
			from: { path: BROWSER },
			to: { path: ['^src/lib/server/', '^src/server/', '^db/', '^scripts/'], pathNot: SHARED_TYPES }
		},
		{
			name: 'browser-types-only',
			severity: 'error',
			comment: 'src/lib/server/types.ts is read with `import type`: nothing of the server may reach the bundle.',
			from: { path: BROWSER },
			to: { path: SHARED_TYPES, dependencyTypesNot: ['type-only'] }
		},
		{
			name: 'shared-not-to-server',
			severity: 'error',
			comment: 'Modules the browser also loads (src/lib/domain, geo, messages and src/lib/*.ts) must not import the server.',
			from: { path: SHARED },
			to: { path: ['^src/lib/server/', '^src/server/', '^db/', '^scripts/', '^src/lib/client/', '^src/lib/components/', '^src/routes/'], pathNot: SHARED_TYPES }
		},
		{
			name: 'server-not-to-browser',
			severity: 'error',
			comment: 'Server code does not import browser code or routes.',
			from: { path: ['^src/lib/server/', '^src/server/', '^db/'] },
			to: { path: ['^src/lib/client/', '^src/lib/components/', '^src/routes/'] }
		},
		{
			name: 'app-not-to-tests',
			severity: 'error',
			comment: 'The application never imports test code.',
			from: { path: '^(src|db)/' },
			to: { path: '^tests/' }
		},
		{
			name: 'app-not-to-dev-dependencies',
			severity: 'error',
			comment: 'What the application imports at run time is a runtime dependency (package.json "dependencies"), not a devDependency.',
			from: { path: '^(src|db)/', pathNot: '[.](test|spec)[.]ts$' },
			to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: ['node_modules/@types/'] }
		},
		{
			name: 'not-to-unlisted-package',
			severity: 'error',
			comment: 'Every package imported is in package.json.',
			from: {},
			to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] }
		},
		{
			name: 'not-to-unresolvable',
			severity: 'error',
			comment: 'An import that resolves to nothing.',
			from: {},
			to: { couldNotResolve: true, pathNot: ['^[$]app/', '^[$]env/', '^[$]service-worker$', '^virtual:'] }
		}
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: ['^[.]svelte-kit/', '^build/', '^node_modules/'] },
		// Type-only imports count: they are edges of the design too, and the browser rules need them.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		// $lib: see the file.
		webpackConfig: { fileName: '.dependency-cruiser-aliases.cjs' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types', 'svelte'],
			mainFields: ['module', 'main', 'types', 'typings'],
			extensions: ['.ts', '.js', '.svelte', '.d.ts', '.json']
		},
		skipAnalysisNotInRules: true,
		// Re-reads only the files that changed since the last run.
		cache: 'node_modules/.cache/dependency-cruiser',
		reporterOptions: { text: { highlightFocused: true } }
	}
};
