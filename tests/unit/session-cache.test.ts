/**
 * The cache of recent sessions (src/lib/server/accounts/session-cache.ts): kept only while the
 * database's news can be heard, never an answer read before news came, forgotten on news, and
 * bounded. That a sign-out reaches another server process is tests/e2e/session-cache.test.ts's.
 */
import { describe, expect, it, vi } from 'vitest';
import { SESSION_CACHE_MS, SESSION_CACHE_SIZE, SessionCache } from '../../src/lib/server/accounts/session-cache.js';
import type { User } from '../../src/lib/server/accounts/user.js';

const planner: User = { id: 1, username: 'p', role: 'planner', person_id: null, department_id: null };

describe('the session cache', () => {
	it('keeps a session read while the news is heard, for SESSION_CACHE_MS', () => {
		vi.useFakeTimers();
		try {
			const cache = new SessionCache();
			cache.hearing(true);
			cache.set('a', planner, cache.ask());
			cache.set('b', null, cache.ask());
			expect(cache.get('a')).toEqual(planner);
			expect(cache.get('b')).toBeNull();
			expect(cache.get('c')).toBeUndefined();
			vi.advanceTimersByTime(SESSION_CACHE_MS);
			expect(cache.get('a')).toBeUndefined();
		} finally {
			vi.useRealTimers();
		}
	});

	it('keeps nothing while the news cannot be heard', () => {
		const cache = new SessionCache();
		cache.set('a', planner, cache.ask());
		expect(cache.get('a')).toBeUndefined();
		cache.hearing(true);
		cache.set('a', planner, cache.ask());
		cache.hearing(false);
		expect(cache.get('a')).toBeUndefined();
	});

	it('forgets everything on news, and does not keep an answer read before it', () => {
		const cache = new SessionCache();
		cache.hearing(true);
		cache.set('a', planner, cache.ask());
		const asked = cache.ask();
		cache.forget();
		expect(cache.get('a')).toBeUndefined();
		// A lookup that began before the news may have read the old state.
		cache.set('a', planner, asked);
		expect(cache.get('a')).toBeUndefined();
		cache.set('a', planner, cache.ask());
		expect(cache.get('a')).toEqual(planner);
	});

	it('holds at most SESSION_CACHE_SIZE sessions, the oldest making room', () => {
		const cache = new SessionCache();
		cache.hearing(true);
		for (let i = 0; i <= SESSION_CACHE_SIZE; i++) cache.set(`k${i}`, null, cache.ask());
		expect(cache.size).toBe(SESSION_CACHE_SIZE);
		expect(cache.get('k0')).toBeUndefined();
		expect(cache.get(`k${SESSION_CACHE_SIZE}`)).toBeNull();
	});
});
