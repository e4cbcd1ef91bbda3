/**
 * Issues over HTTP: the list by bounding box, one issue, and the list as a CSV download; the
 * records and their scope are cases/issues.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import { fail } from '../platform/errors.js';
import { pathCode, queryBbox, queryInt } from './params.js';
import { csvDocument } from './csv.js';
import * as issues from '../cases/issues.js';

/** GET /api/issues?bbox=w,s,e,n[&limit=]: the issues in a bounding box the caller may read. */
export async function getList(call: Call): Promise<Reply> {
	const bbox = queryBbox(call.query);
	const limit = queryInt(call.query, 'limit', 200, 1, issues.MAX_LIST);
	return json(await issues.list(call.db.knex, call.scope, bbox, limit));
}

/** GET /api/issues/{code}: one issue; outside the caller's territory it does not exist for them (404). */
export async function getIssue(call: Call): Promise<Reply> {
	const code = pathCode(call.params, 'code');
	const issue = await issues.read(call.db.knex, call.scope, code);
	if (!issue) fail(404, `no issue with code '${code}'`);
	return json(issue);
}

const CSV_FIELDS: (keyof issues.IssueRecord)[] = ['code', 'title', 'category', 'matter_type', 'urgency', 'status', 'source', 'reported_at', 'due_at', 'overdue', 'resolved_on_site', 'building_code', 'lng', 'lat'];

/** The most rows one CSV download holds. */
const MAX_CSV = 100_000;

/** GET /api/issues.csv?bbox=: the same rows as a CSV download, with a BOM so spreadsheet software reads the Chinese right. */
export async function getCsv(call: Call): Promise<Reply> {
	const { items } = await issues.list(call.db.knex, call.scope, queryBbox(call.query), MAX_CSV);
	return { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="issues.csv"' }, body: csvDocument(CSV_FIELDS, items) };
}
