import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { migrations } from '../../db/migrations.js';

describe('the migration list', () => {
	it('names every file in db/migrations, in date order, and nothing else', () => {
		const files = fs
			.readdirSync('db/migrations')
			.filter((f) => f.endsWith('.ts'))
			.map((f) => f.replace(/\.ts$/, ''))
			.sort();
		expect(Object.keys(migrations)).toEqual(files);
	});

	it('gives each migration an up and a down', () => {
		for (const [name, m] of Object.entries(migrations)) {
			expect(typeof m.up, name).toBe('function');
			expect(typeof m.down, name).toBe('function');
		}
	});
});
