/**
 * The OpenAPI 3.0 definition of /ogc (Part 1's oas30 class). Each collection gets its own
 * paths, so the property filters it takes (its queryables, Part 3) are declared where a
 * client looks for them. A unit test validates the document against the OpenAPI 3.0 schema.
 */
import { OGC_COLLECTIONS, type OgcCollection, type OgcProperty } from './ogc-collections.js';
import { OGC_CRS_URIS, CRS84 } from '../../geo/ogc-crs.js';

const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const json = (schema: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } }, 'text/html': { schema: { type: 'string' } } });
const errors = {
	'400': { $ref: '#/components/responses/InvalidParameter' },
	'401': { $ref: '#/components/responses/Exception' },
	'404': { $ref: '#/components/responses/NotFound' },
	'500': { $ref: '#/components/responses/Exception' }
};

const PROPERTY_SCHEMA: Record<OgcProperty['type'], Record<string, string>> = {
	string: { type: 'string' },
	integer: { type: 'integer' },
	number: { type: 'number' },
	boolean: { type: 'boolean' },
	date: { type: 'string', format: 'date' },
	'date-time': { type: 'string', format: 'date-time' }
};

function collectionPaths(c: OgcCollection): Record<string, unknown> {
	const root = `/collections/${c.id}`;
	const propertyParams = Object.entries(c.properties).map(([name, p]) => ({
		name,
		in: 'query',
		required: false,
		description: `${p.title}: equal to`,
		style: 'form',
		explode: false,
		schema: { ...PROPERTY_SCHEMA[p.type], ...(p.values ? { enum: [...p.values] } : {}) }
	}));
	const itemParams = [ref('f'), ref('bbox'), ref('bbox-crs'), ref('limit'), ...(c.time ? [ref('datetime')] : []), ref('crs'), ref('filter'), ref('filter-lang'), ref('filter-crs'), ref('after'), ref('before'), ...propertyParams];
	return {
		[root]: { get: { tags: ['Data'], summary: `${c.title}：图层说明 / describe the collection`, operationId: `describe_${c.id}`, parameters: [ref('f')], responses: { '200': { description: 'The collection', content: json('collection') }, ...errors } } },
		[`${root}/queryables`]: {
			get: { tags: ['Data'], summary: `${c.title}：可查询属性 / queryables`, operationId: `queryables_${c.id}`, parameters: [ref('f')], responses: { '200': { description: 'JSON Schema of the queryables', content: { 'application/schema+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } }, ...errors } }
		},
		[`${root}/items`]: {
			get: {
				tags: ['Data'],
				summary: `${c.title}：要素 / features`,
				operationId: `items_${c.id}`,
				parameters: itemParams,
				responses: { '200': { $ref: '#/components/responses/Features' }, ...errors }
			}
		},
		[`${root}/items/{featureId}`]: {
			get: {
				tags: ['Data'],
				summary: `${c.title}：单个要素 / one feature`,
				operationId: `item_${c.id}`,
				parameters: [ref('featureId'), ref('f'), ref('crs')],
				responses: { '200': { $ref: '#/components/responses/Feature' }, ...errors }
			}
		}
	};
}

export function openApiDocument(server: string): { paths: Record<string, Record<string, { summary?: string }>> } & Record<string, unknown> {
	const crsParam = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string', format: 'uri', enum: OGC_CRS_URIS, default: CRS84 } });
	return {
		openapi: '3.0.3',
		info: {
			title: '网格治理一张图 OGC API – Features',
			version: '1.0.0',
			description:
				'合江县网格治理数据的 OGC API – Features 接口（Part 1、2、3）。Data of Hejiang County grid governance: every answer is limited to the caller’s territory (session cookie or a personal access token as a bearer header).',
			license: { name: 'CC BY 4.0 (sample data)' }
		},
		servers: [{ url: server }],
		tags: [{ name: 'Capabilities' }, { name: 'Data' }],
		paths: {
			'/': { get: { tags: ['Capabilities'], summary: '首页 / landing page', operationId: 'getLandingPage', parameters: [ref('f')], responses: { '200': { description: 'The landing page', content: json('landingPage') }, ...errors } } },
			'/conformance': { get: { tags: ['Capabilities'], summary: '符合的标准 / conformance classes', operationId: 'getConformance', parameters: [ref('f')], responses: { '200': { description: 'Conformance classes', content: json('confClasses') }, ...errors } } },
			'/api': { get: { tags: ['Capabilities'], summary: '本文档 / this document', operationId: 'getApi', parameters: [ref('f')], responses: { '200': { description: 'The OpenAPI document', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } }, ...errors } } },
			'/collections': { get: { tags: ['Capabilities'], summary: '图层 / collections', operationId: 'getCollections', parameters: [ref('f')], responses: { '200': { description: 'The collections', content: json('collections') }, ...errors } } },
			...Object.assign({}, ...OGC_COLLECTIONS.map(collectionPaths))
		},
		components: {
			parameters: {
				f: { name: 'f', in: 'query', required: false, description: 'json (GeoJSON for features) or html', schema: { type: 'string', enum: ['json', 'html'] } },
				bbox: {
					name: 'bbox',
					in: 'query',
					required: false,
					description: 'lower corner, upper corner, in the axis order of bbox-crs (CRS84: lon,lat)',
					style: 'form',
					explode: false,
					schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } }
				},
				'bbox-crs': crsParam('bbox-crs', 'the CRS of bbox'),
				crs: crsParam('crs', 'the CRS of the answer’s coordinates'),
				'filter-crs': crsParam('filter-crs', 'the CRS of geometry literals in filter'),
				limit: { name: 'limit', in: 'query', required: false, description: 'features per page', style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: 10000, default: 100 } },
				datetime: { name: 'datetime', in: 'query', required: false, description: 'an RFC 3339 instant or interval start/end (.. for an open end)', style: 'form', explode: false, schema: { type: 'string' } },
				filter: { name: 'filter', in: 'query', required: false, description: 'a CQL2 text filter over the queryables', schema: { type: 'string' } },
				'filter-lang': { name: 'filter-lang', in: 'query', required: false, schema: { type: 'string', enum: ['cql2-text'], default: 'cql2-text' } },
				after: { name: 'after', in: 'query', required: false, description: 'page cursor (from a next link)', schema: { type: 'integer', minimum: 0 } },
				before: { name: 'before', in: 'query', required: false, description: 'page cursor (from a prev link)', schema: { type: 'integer', minimum: 0 } },
				featureId: { name: 'featureId', in: 'path', required: true, description: 'the feature’s code', schema: { type: 'string' } }
			},
			schemas: {
				exception: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, description: { type: 'string' } } },
				link: {
					type: 'object',
					required: ['href'],
					properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, hreflang: { type: 'string' }, title: { type: 'string' }, length: { type: 'integer' } }
				},
				landingPage: { type: 'object', required: ['links'], properties: { title: { type: 'string' }, description: { type: 'string' }, links: { type: 'array', items: { $ref: '#/components/schemas/link' } } } },
				confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
				extent: { type: 'object', properties: { spatial: { type: 'object' }, temporal: { type: 'object' } } },
				collection: {
					type: 'object',
					required: ['id', 'links'],
					properties: {
						id: { type: 'string' },
						title: { type: 'string' },
						description: { type: 'string' },
						links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
						extent: { $ref: '#/components/schemas/extent' },
						itemType: { type: 'string', default: 'feature' },
						crs: { type: 'array', items: { type: 'string' } },
						storageCrs: { type: 'string' }
					}
				},
				collections: {
					type: 'object',
					required: ['links', 'collections'],
					properties: { links: { type: 'array', items: { $ref: '#/components/schemas/link' } }, collections: { type: 'array', items: { $ref: '#/components/schemas/collection' } }, crs: { type: 'array', items: { type: 'string' } } }
				},
				featureGeoJSON: {
					type: 'object',
					required: ['type', 'geometry', 'properties'],
					properties: {
						type: { type: 'string', enum: ['Feature'] },
						id: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
						geometry: { type: 'object', nullable: true },
						properties: { type: 'object', nullable: true },
						links: { type: 'array', items: { $ref: '#/components/schemas/link' } }
					}
				},
				featureCollectionGeoJSON: {
					type: 'object',
					required: ['type', 'features'],
					properties: {
						type: { type: 'string', enum: ['FeatureCollection'] },
						features: { type: 'array', items: { $ref: '#/components/schemas/featureGeoJSON' } },
						links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
						timeStamp: { type: 'string', format: 'date-time' },
						numberReturned: { type: 'integer', minimum: 0 }
					}
				}
			},
			responses: {
				Features: {
					description: 'A page of features; the next and prev links page on',
					headers: { 'Content-Crs': { description: 'the CRS of the coordinates', schema: { type: 'string' } } },
					content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/featureCollectionGeoJSON' } }, 'text/html': { schema: { type: 'string' } } }
				},
				Feature: {
					description: 'One feature',
					headers: { 'Content-Crs': { description: 'the CRS of the coordinates', schema: { type: 'string' } } },
					content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/featureGeoJSON' } }, 'text/html': { schema: { type: 'string' } } }
				},
				InvalidParameter: { description: 'A parameter is not valid; the description names it', content: { 'application/json': { schema: { $ref: '#/components/schemas/exception' } } } },
				NotFound: { description: 'No such resource (or outside the caller’s territory)', content: { 'application/json': { schema: { $ref: '#/components/schemas/exception' } } } },
				Exception: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/exception' } } } }
			}
		}
	};
}
