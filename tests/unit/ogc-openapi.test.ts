/** The OpenAPI definition /ogc/api serves validates against the OpenAPI 3.0 schema, and declares every collection's paths and property filters. */
import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiDocument } from '../../src/lib/server/interfaces/ogc-openapi.js';
import { OGC_COLLECTIONS } from '../../src/lib/server/interfaces/ogc-collections.js';

describe('the OpenAPI document', () => {
	it('is valid OpenAPI 3.0', async () => {
		const result = await new Validator().validate(openApiDocument('http://localhost/ogc') as never);
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
	});

	it('declares each collection with its items, feature, queryables and property filters', () => {
		const doc = openApiDocument('http://localhost/ogc') as { paths: Record<string, { get: { parameters: { name?: string }[] } }> };
		for (const c of OGC_COLLECTIONS) {
			for (const suffix of ['', '/queryables', '/items', '/items/{featureId}']) expect(doc.paths, c.id + suffix).toHaveProperty([`/collections/${c.id}${suffix}`]);
			const names = doc.paths[`/collections/${c.id}/items`].get.parameters.map((p) => p.name).filter(Boolean);
			expect(names).toEqual(Object.keys(c.properties));
		}
	});
});
