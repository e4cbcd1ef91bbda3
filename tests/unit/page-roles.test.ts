/**
 * No page or component carries a role list (issue 22, point 3): what the user may do comes from
 * the permission table (src/lib/server/accounts/permissions.ts), handed to every page by the
 * root layout as `data.can`. A page that compares the user's role with a role name, or checks
 * it against a list of role names, decides permissions of its own.
 */
import { describe, expect, it } from 'vitest';
import { USER_ROLES } from '../../src/lib/server/accounts/user.js';
import { browserFiles, read } from '../helpers/source-files.js';

const ROLE = `'(?:${USER_ROLES.join('|')})'`;
/** The user's role as pages read it: user.role, data.user.role, data.user?.role, $page.data.user.role, … */
const USER_ROLE = String.raw`[\w$.?]*\buser\??\.role\b`;
const PATTERNS: [string, RegExp][] = [
	["compares the user's role with a role name", new RegExp(`${USER_ROLE}\\s*[!=]==?\\s*${ROLE}|${ROLE}\\s*[!=]==?\\s*${USER_ROLE}`)],
	["looks the user's role up in a list", new RegExp(`\\.(?:includes|indexOf|has)\\(\\s*${USER_ROLE}\\s*\\)`)],
	["switches on the user's role", new RegExp(`switch\\s*\\(\\s*${USER_ROLE}\\s*\\)`)],
	['holds a list of role names', new RegExp(`\\[\\s*${ROLE}(?:\\s*,\\s*${ROLE})+\\s*,?\\s*\\]`)]
];

/** Each line of a source that carries a role list, with what it does. */
function roleLists(source: string): string[] {
	const found: string[] = [];
	for (const [i, line] of source.split('\n').entries()) {
		for (const [what, pattern] of PATTERNS) if (pattern.test(line)) found.push(`${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
	}
	return found;
}

describe('pages ask data.can, not the role', () => {
	it('finds role lists (self-check)', () => {
		expect(roleLists(`{#if data.user.role === 'admin'}`)).toHaveLength(1);
		expect(roleLists(`const may = ['admin', 'planner'].includes(data.user?.role);`)).toHaveLength(2);
		expect(roleLists(`const FIELD = ['grid_worker', 'building_head'];`)).toHaveLength(1);
		expect(roleLists(`{#if 'housing' !== user.role}`)).toHaveLength(1);
		// A person's post (an assignment's role) is data, not a permission; nor is one role name shown.
		expect(roleLists(`people.filter((h) => h.role === 'building_head')`)).toEqual([]);
		expect(roleLists(`{#if data.can['case.report']}`)).toEqual([]);
		expect(roleLists(`{ role: 'building_head', people: heads }`)).toEqual([]);
	});

	it('no page or component carries a role list', () => {
		const offenders = browserFiles().flatMap((file) => roleLists(read(file)).map((line) => `${file}:${line}`));
		expect(offenders).toEqual([]);
	});
});
