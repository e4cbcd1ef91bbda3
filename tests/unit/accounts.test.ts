import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, LoginLimiter } from '../../src/lib/server/accounts.js';

describe('password hashes', () => {
	it('verify the right password and refuse a wrong one; salts differ', async () => {
		const a = await hashPassword('合江 demo');
		const b = await hashPassword('合江 demo');
		expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(a).not.toBe(b);
		expect(await verifyPassword('合江 demo', a)).toBe(true);
		expect(await verifyPassword('合江 demO', a)).toBe(false);
		expect(await verifyPassword('x', 'plain-text')).toBe(false);
	});
});

describe('the sign-in limiter', () => {
	it('allows five failures in fifteen minutes, then asks to wait, and forgets after the window', () => {
		const limiter = new LoginLimiter(5, 15 * 60_000);
		const t0 = 1_000_000;
		for (let i = 0; i < 5; i++) {
			expect(limiter.retryAfter('u|ip', t0 + i)).toBe(0);
			limiter.fail('u|ip', t0 + i);
		}
		expect(limiter.retryAfter('u|ip', t0 + 10)).toBe(900);
		expect(limiter.retryAfter('other|ip', t0 + 10)).toBe(0);
		expect(limiter.retryAfter('u|ip', t0 + 15 * 60_000 + 5)).toBe(0);
	});

	it('a success clears the failures', () => {
		const limiter = new LoginLimiter(2, 60_000);
		limiter.fail('k', 1);
		limiter.fail('k', 2);
		expect(limiter.retryAfter('k', 3)).toBeGreaterThan(0);
		limiter.succeed('k');
		expect(limiter.retryAfter('k', 4)).toBe(0);
	});
});

describe('password hashing under a flood of sign-ins', () => {
	// Real scrypt hashes, each ~50 ms of CPU alone: on a machine busy with the rest of the
	// suite they take many times that, so this test gets a minute.
	it('runs at most two hashes at once with 32 waiting, and refuses the rest at once (issue 8)', async () => {
		const { verifyPassword, HashingBusyError } = await import('../../src/lib/server/accounts.js');
		const stored = await hashPassword('x');
		const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => verifyPassword('y', stored)));
		const refused = outcomes.filter((o) => o.status === 'rejected');
		expect(refused).toHaveLength(40 - 2 - 32);
		for (const o of refused) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(HashingBusyError);
		expect(outcomes.filter((o) => o.status === 'fulfilled').every((o) => (o as PromiseFulfilledResult<boolean>).value === false)).toBe(true);
		// The queue drains: a sign-in afterwards is served.
		expect(await verifyPassword('x', stored)).toBe(true);
	}, 60_000);
});
