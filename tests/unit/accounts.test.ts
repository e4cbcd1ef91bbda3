import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/lib/server/accounts/accounts.js';

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

// The limits on failed sign-ins, which replaced the in-memory LoginLimiter: tests/unit/sign-in-limits.test.ts.

describe('password hashing under a flood of sign-ins', () => {
	// Real scrypt hashes, each ~50 ms of CPU alone: on a machine busy with the rest of the
	// suite they take many times that, so this test gets a minute.
	it('runs at most two hashes at once with 32 waiting, and refuses the rest at once (issue 8)', async () => {
		const { verifyPassword, HashingBusyError } = await import('../../src/lib/server/accounts/accounts.js');
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
