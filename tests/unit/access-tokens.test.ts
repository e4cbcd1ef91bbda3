import { describe, expect, it } from 'vitest';
import { newToken } from '../../src/lib/server/accounts/access-tokens.js';
import { bearerToken } from '../../src/lib/server/http/access-tokens.js';

describe('bearerToken', () => {
	it.each([
		[null, undefined],
		['', undefined],
		['Basic dXNlcjpwYXNz', undefined],
		['Bearerwgz_x', undefined],
		['Bearer', ''],
		['bearer   ', ''],
		['Bearer wgz_abc', 'wgz_abc'],
		['BEARER\twgz_abc ', 'wgz_abc'],
		['  Bearer  a b ', 'a b']
	])('%j → %j', (header, token) => {
		expect(bearerToken(header)).toBe(token);
	});
});

describe('newToken', () => {
	it('is wgz_ and 32 random bytes in base64url, a new one each time', () => {
		const tokens = new Set(Array.from({ length: 100 }, newToken));
		expect(tokens.size).toBe(100);
		for (const token of tokens) {
			expect(token).toMatch(/^wgz_[A-Za-z0-9_-]{43}$/);
			expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
		}
	});
});
