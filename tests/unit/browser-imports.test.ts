/**
 * Browser code reads the server only through `import type` of src/lib/server/types.ts (issue
 * 22, point 6). dependency-cruiser (.dependency-cruiser.cjs) checks every import it sees, but it
 * reads a .svelte file compiled, with its `import type` lines already gone: this test reads the
 * source of every browser file for the imports it names.
 */
import { describe, expect, it } from 'vitest';
import { browserFiles, read } from '../helpers/source-files.js';

/** Every module a source names in an import or export … from, or a dynamic import, with whether it is type-only. */
function importsOf(source: string): { from: string; typeOnly: boolean }[] {
	const found: { from: string; typeOnly: boolean }[] = [];
	for (const m of source.matchAll(/\b(import|export)\s+(type\s+)?([^;'"]*?\s+from\s+)?['"]([^'"]+)['"]/g)) {
		// `import type { A }` or `import { type A, type B }` (every name a type) are erased.
		const names = m[3] ?? '';
		const everyNameType =
			/^\s*\{([^}]*)\}\s+from\s+$/.test(names) &&
			names
				.replace(/^\s*\{|\}\s+from\s+$/g, '')
				.split(',')
				.filter((n) => n.trim())
				.every((n) => /^\s*type\s/.test(n));
		found.push({ from: m[4], typeOnly: Boolean(m[2]) || everyNameType });
	}
	for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ from: m[1], typeOnly: false });
	return found;
}

/** Whether an import names server code: $lib/server, src/server, db/, or a relative path into them. */
const isServer = (from: string) => /^\$lib\/server(\/|$)/.test(from) || /(^|\/)(lib\/server|server|db)(\/|$)/.test(from.startsWith('.') ? from : '');
const SHARED_TYPES = /^\$lib\/server\/types(\.js|\.ts)?$/;

describe('browser code and the server', () => {
	it('finds imports as written (self-check)', () => {
		expect(
			importsOf(`import type { A } from '$lib/server/types';\nimport { type B, type C } from '$lib/server/types';\nimport { D } from '$lib/server/x';\nconst e = await import('$lib/server/y');`)
		).toEqual([
			{ from: '$lib/server/types', typeOnly: true },
			{ from: '$lib/server/types', typeOnly: true },
			{ from: '$lib/server/x', typeOnly: false },
			{ from: '$lib/server/y', typeOnly: false }
		]);
		expect(isServer('$lib/server/cases/cases')).toBe(true);
		expect(isServer('../server/cases/cases')).toBe(true);
		expect(isServer('$lib/client/api')).toBe(false);
	});

	it('imports nothing of the server but types from src/lib/server/types.ts', () => {
		const files = browserFiles();
		expect(files.length).toBeGreaterThan(50);
		const wrong: string[] = [];
		for (const file of files) {
			for (const { from, typeOnly } of importsOf(read(file))) {
				if (!isServer(from)) continue;
				if (!SHARED_TYPES.test(from)) wrong.push(`${file}: imports ${from} (only $lib/server/types, with import type)`);
				else if (!typeOnly) wrong.push(`${file}: imports ${from} without import type`);
			}
		}
		expect(wrong).toEqual([]);
	});
});
