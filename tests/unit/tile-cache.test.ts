/** The tile cache: a byte budget with the least recently used going first, and a disk copy a new process reads. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TileCache, budgetFromEnv, type TileKey } from '../../src/lib/server/tiles/tile-cache.js';

const key = (y: number, extra: Partial<TileKey> = {}): TileKey => ({ layer: 'issues', version: 3, territory: 'all', z: 14, x: 1, y, ...extra });
const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('the tile cache', () => {
	it('keeps within its byte budget, dropping the least recently used', async () => {
		// Three 1000-byte tiles (plus 128 bytes each of overhead) fit in 3500 bytes; a fourth does not.
		const cache = new TileCache(3500, null);
		for (const y of [1, 2, 3]) cache.set(key(y), bytes(1000, y));
		expect(cache.size).toEqual({ entries: 3, bytes: 3 * 1128 });
		await cache.get(key(1)); // 1 is now the most recently used; 2 the least
		cache.set(key(4), bytes(1000, 4));
		expect(await cache.get(key(2))).toBeUndefined();
		expect((await cache.get(key(1)))?.[0]).toBe(1);
		expect((await cache.get(key(4)))?.[0]).toBe(4);
		expect(cache.size.bytes).toBeLessThanOrEqual(3500);
	});

	it('tells versions and territories apart, and keeps empty tiles', async () => {
		const cache = new TileCache(1 << 20, null);
		cache.set(key(1), bytes(10, 7));
		cache.set(key(1, { territory: 'tabc' }), new Uint8Array(0));
		expect((await cache.get(key(1)))?.[0]).toBe(7);
		expect(await cache.get(key(1, { version: 4 }))).toBeUndefined();
		expect(await cache.get(key(1, { territory: 'tdef' }))).toBeUndefined();
		expect((await cache.get(key(1, { territory: 'tabc' })))?.length).toBe(0);
	});

	it('with a budget of 0 keeps nothing in memory', async () => {
		const cache = new TileCache(0, null);
		cache.set(key(1), bytes(10));
		expect(await cache.get(key(1))).toBeUndefined();
	});

	it('on disk: a new process reads what an old one wrote, and old versions are pruned', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-tiles-'));
		try {
			const first = new TileCache(1 << 20, dir);
			first.set(key(1), bytes(50, 9));
			first.set(key(1, { version: 2 }), bytes(50, 8));
			await first.written();
			const second = new TileCache(1 << 20, dir);
			expect((await second.get(key(1)))?.[0]).toBe(9);
			await second.prune('issues', 3);
			expect(fs.readdirSync(path.join(dir, 'issues'))).toEqual(['v3']);
			expect(await new TileCache(1 << 20, dir).get(key(1, { version: 2 }))).toBeUndefined();
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('reads TILE_CACHE_MB, 64 MB by default', () => {
		expect(budgetFromEnv({})).toBe(64 * 1024 * 1024);
		expect(budgetFromEnv({ TILE_CACHE_MB: '0' })).toBe(0);
		expect(budgetFromEnv({ TILE_CACHE_MB: '1.5' })).toBe(1.5 * 1024 * 1024);
		expect(budgetFromEnv({ TILE_CACHE_MB: 'lots' })).toBe(64 * 1024 * 1024);
	});
});
