/**
 * src/routes is the map of the whole HTTP API (issue 9): each fast-lane entry is a route of
 * src/routes whose +server.ts serves the very handler the fast lane calls, every +server.ts
 * is `endpoint(handler)` of a domain module, and the host in src/server defines no endpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST_LANE } from '../../src/server/fast-lane.js';

function files(dir: string, name: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? files(p, name) : e.name === name ? [p] : [];
	});
}

describe('the routes', () => {
	it.each(FAST_LANE.map((r) => [r.method, r.route, r] as const))('fast lane %s %s is the handler its +server.ts serves', async (method, route, entry) => {
		const file = path.join('src/routes', route, '+server.ts');
		expect(fs.existsSync(file), file).toBe(true);
		const module = await import(`../../${file}`);
		expect(module[method]?.handler, `${file} exports ${method}`).toBe(entry.handler);
	});

	it('every +server.ts serves handlers of domain modules through endpoint()', () => {
		const servers = files('src/routes', '+server.ts');
		expect(servers.length).toBeGreaterThan(20);
		for (const file of servers) {
			const text = fs.readFileSync(file, 'utf8');
			const exports = [...text.matchAll(/^export const (\w+) = (.*);$/gm)];
			expect(exports.length, file).toBeGreaterThan(0);
			for (const [, verb, value] of exports) {
				expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'fallback'], file).toContain(verb);
				expect(value, file).toMatch(/^endpoint\((\w+\.)?\w+\)$/);
			}
			expect(text, file).not.toMatch(/export (async )?function/);
		}
	});

	it('the host defines no endpoint of its own', () => {
		for (const file of files('src/server', 'index.ts').concat(files('src/server', 'security-headers.ts'))) {
			expect(fs.readFileSync(file, 'utf8'), file).not.toMatch(/\b(app|router)\.(get|post|put|patch|delete|all|route)\(/);
		}
	});
});
