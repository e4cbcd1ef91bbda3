/**
 * The HTTP side of areas: the area panel's summary and issues, the area under a point, an
 * area's renovation and flood figures, outline layers, the choropleth, the coverage report and
 * search. Each handler reads its request, checks the caller may, calls the domain verb
 * (src/lib/server/areas/) and shapes the reply.
 */
import { AREA_LEVELS, ISSUE_CATEGORIES, ISSUE_STATUSES } from '../../domain/glossary.js';
import * as areas from '../areas/areas.js';
import { overlays } from '../areas/area-overlays.js';
import * as choropleth from '../areas/choropleth.js';
import { CHOROPLETH_LEVELS, CHOROPLETH_METRICS, type ChoroplethLevel, type ChoroplethMetric } from '../areas/choropleth.js';
import { report } from '../areas/coverage.js';
import { OUTLINE_LAYERS, featureCollection } from '../areas/outlines.js';
import { DEFAULT_LIMIT, MAX_LIMIT, search, type SearchQuery } from '../areas/search.js';
import { may } from '../accounts/permissions.js';
import { fail } from '../platform/errors.js';
import { allow } from './allow.js';
import { json, jsonText, type Call, type Reply } from './endpoint.js';
import { pathCode, pathOneOf, queryInt, queryMonth, queryNumber, queryOneOf, queryText } from './params.js';

const levelOf = (params: Record<string, string>) => pathOneOf(params, 'level', AREA_LEVELS, 'level');

/** GET /api/areas/{level}/{code}: the area panel's summary. */
export async function getSummary(call: Call): Promise<Reply> {
	const level = levelOf(call.params);
	const code = pathCode(call.params, 'code');
	const area = await areas.summary(call.db.knex, level, code, call.scope);
	if (area === null) fail(404, `no ${level} with code '${code}'`);
	return jsonText(area);
}

/** GET /api/areas/{level}/{code}/issues?status=&category=&page=&limit=: the issues inside, newest first. */
export async function getIssues(call: Call): Promise<Reply> {
	const level = levelOf(call.params);
	const code = pathCode(call.params, 'code');
	const filter = {
		status: queryOneOf(call.query, 'status', ISSUE_STATUSES),
		category: queryOneOf(call.query, 'category', ISSUE_CATEGORIES),
		page: queryInt(call.query, 'page', 1, 1, 100_000),
		limit: queryInt(call.query, 'limit', 20, 1, 100)
	};
	allow(call.user, 'area-issue.list');
	const page = await areas.issues(call.db.knex, level, code, filter, call.scope);
	if (page === null) fail(404, `no ${level} with code '${code}'`);
	return jsonText(page);
}

/** GET /api/areas/at?lng=&lat=[&level=]: the area under a point. */
export async function getAreaAt(call: Call): Promise<Reply> {
	const lng = queryNumber(call.query, 'lng', -180, 180);
	const lat = queryNumber(call.query, 'lat', -90, 90);
	const level = queryOneOf(call.query, 'level', AREA_LEVELS);
	const area = await areas.at(call.db.knex, lng, lat, level, call.scope);
	if (area === null) fail(404, `no ${level ?? 'area'} covers ${lng}, ${lat}`);
	return jsonText(area);
}

/** GET /api/areas/{level}/{code}/overlays: renovation and flood inside an area (signed in). */
export async function getOverlays(call: Call): Promise<Reply> {
	const level = levelOf(call.params);
	const code = pathCode(call.params, 'code');
	allow(call.user, 'area-figure.read');
	const found = await overlays(call.db.knex, level, code, call.scope);
	if (!found) fail(404, `no ${level} with code '${code}'`);
	return json(found, 200, { 'Cache-Control': 'private, no-cache' });
}

/** GET /api/layers/{layer}: an outline layer as GeoJSON (data layers come as territory-filtered vector tiles). */
export async function getOutlines(call: Call): Promise<Reply> {
	const layer = pathOneOf(call.params, 'layer', OUTLINE_LAYERS, 'layer');
	return json(await featureCollection(call.db.knex, layer), 200, { 'Cache-Control': 'no-cache' });
}

/** The choropleth's level, metric and month from a query string; a 400 naming what is wrong. */
export function choroplethQuery(params: URLSearchParams): { level: ChoroplethLevel; metric: ChoroplethMetric; month?: string } {
	const level = queryOneOf(params, 'level', CHOROPLETH_LEVELS);
	const metric = queryOneOf(params, 'metric', CHOROPLETH_METRICS);
	if (!level) fail(400, `level must be one of ${CHOROPLETH_LEVELS.join(', ')}`);
	if (!metric) fail(400, `metric must be one of ${CHOROPLETH_METRICS.join(', ')}`);
	const month = queryMonth(params, 'month');
	if (month && metric !== 'visit_coverage') fail(400, 'month applies to metric visit_coverage only');
	return { level, metric, month };
}

/** GET /api/choropleth?level=grid|community&metric=…[&month=YYYY-MM]: values per area with quantile breaks, within the caller's scope. */
export async function getValues(call: Call): Promise<Reply> {
	const query = choroplethQuery(call.query);
	allow(call.user, 'choropleth.read');
	// Values change with every issue; the client asks again when it needs them.
	return json(await choropleth.read(call.db.knex, query.level, query.metric, call.scope, query.month), 200, { 'Cache-Control': 'no-cache' });
}

/** GET /api/coverage: the coverage and load report. It spans the county and names people across it: for the roles that read everything. */
export async function getReport(call: Call): Promise<Reply> {
	// Not signed in: allow's 401; signed in without the capability: the report's own 403, which names who reads it.
	const user = call.user ?? allow(call.user, 'coverage-report.read');
	if (!may(user, 'coverage-report.read')) fail(403, 'the coverage report is for admin, planner and housing roles');
	return json(await report(call.db.knex));
}

/** Reads `q` and `limit` from a query string; a 400 naming what is wrong. */
export function searchQuery(params: URLSearchParams): SearchQuery {
	const q = (queryText(params, 'q', 400) ?? '').trim();
	if ([...q].length < 2) fail(400, 'q must be at least 2 characters');
	if ([...q].length > 100) fail(400, 'q must be at most 100 characters');
	return { q, limit: queryInt(params, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT) };
}

/** GET /api/search?q=&limit=: areas, buildings and people by name, within what the caller may see. */
export async function getResults(call: Call): Promise<Reply> {
	return json({ results: await search(call.db.knex, searchQuery(call.query), call.scope) });
}
