/**
 * 考核评价 over HTTP: the year and the body of a request, the permission check, and the
 * answers — JSON, and the annual export as a workbook or CSV. The verbs live in
 * governance/evaluation.ts.
 */
import ExcelJS from 'exceljs';
import { json, type Call, type Reply } from './endpoint.js';
import { checkPlainText, checkText, parseJsonObject, pathCode, queryInt, queryOneOf, type JsonObject } from './params.js';
import { allow, signedInFor } from './allow.js';
import { csvCell } from './csv.js';
import { fail } from '../platform/errors.js';
import * as evaluation from '../governance/evaluation.js';
import { chinaDay } from '../../domain/work-calendar.js';

export const BODY_LIMIT = 32 * 1024;
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
const NO_STORE = { 'Cache-Control': 'private, no-cache' };

// ---------------------------------------------------------------- export

function sheet<T>(book: ExcelJS.Workbook, name: string, columns: evaluation.Column<T>[], rows: T[]) {
	const ws = book.addWorksheet(name);
	ws.addRow(columns.map(([, label]) => label));
	ws.getRow(1).font = { bold: true };
	// Values go in as numbers and plain strings: exceljs writes a string as text, never a formula.
	for (const r of rows) ws.addRow(columns.map(([field]) => (r[field] ?? null) as ExcelJS.CellValue));
	ws.views = [{ state: 'frozen', ySplit: 1, xSplit: 2 }];
}

export async function toXlsx(e: evaluation.Evaluation): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	book.creator = '网格治理一张图';
	book.created = new Date(e.cutoff);
	sheet(book, '社区', evaluation.COMMUNITY_COLUMNS, e.communities);
	sheet(book, '部门', evaluation.DEPARTMENT_COLUMNS, e.departments);
	return new Uint8Array(await book.xlsx.writeBuffer());
}

/** One community a row, with a BOM so Excel reads the Chinese (csv.ts). */
export function toCsv(e: evaluation.Evaluation): string {
	const lines = [evaluation.COMMUNITY_COLUMNS.map(([, label]) => csvCell(label)).join(','), ...e.communities.map((r) => evaluation.COMMUNITY_COLUMNS.map(([field]) => csvCell(r[field])).join(','))];
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------- requests

function queryYear(query: URLSearchParams): number {
	return queryInt(query, 'year', Number(chinaDay().slice(0, 4)), evaluation.MIN_YEAR, evaluation.MAX_YEAR);
}

/** The body of a PUT: the year, and the self-report and/or the county score. */
export function evaluationInput(body: JsonObject): evaluation.EvaluationInput {
	const year = body.year;
	if (typeof year !== 'number' || !Number.isInteger(year) || year < evaluation.MIN_YEAR || year > evaluation.MAX_YEAR) fail(400, `year must be a whole number from ${evaluation.MIN_YEAR} to ${evaluation.MAX_YEAR}`);
	const input: evaluation.EvaluationInput = { year };
	if (Object.hasOwn(body, 'self_report')) {
		const v = body.self_report;
		if (v === null || v === '') input.self_report = null;
		else if (typeof v !== 'string') fail(400, 'self_report must be a string or null');
		else {
			const text = checkPlainText('self_report', checkText('self_report', v.trim(), evaluation.SELF_REPORT_MAX));
			input.self_report = text === '' ? null : text;
		}
	}
	if (Object.hasOwn(body, 'county_score')) {
		const v = body.county_score;
		if (v === null) input.county_score = null;
		else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) fail(400, 'county_score must be a number from 0 to 100, or null');
		else if (Math.abs(v * 10 - Math.round(v * 10)) > 1e-9) fail(400, `county_score may have one decimal at most, got ${v}`);
		else input.county_score = Math.round(v * 10) / 10;
	}
	if (input.self_report === undefined && input.county_score === undefined) fail(400, 'self_report or county_score is required');
	return input;
}

const SHAPE = '{"year", "self_report"?: text or null, "county_score"?: 0–100 or null}';

/** GET /api/evaluation?year=: the year's rows the caller may read. */
export async function getEvaluation(call: Call): Promise<Reply> {
	const year = queryYear(call.query);
	const user = signedInFor(call.user, 'evaluation.read');
	return json(await evaluation.table(call.db.knex, user, call.scope, year), 200, NO_STORE);
}

/** GET /api/evaluation/export?year=&format=xlsx|csv: the same rows for the annual target assessment. */
export async function getExport(call: Call): Promise<Reply> {
	const year = queryYear(call.query);
	const format = queryOneOf(call.query, 'format', EXPORT_FORMATS) ?? 'xlsx';
	const user = signedInFor(call.user, 'evaluation.read');
	const e = await evaluation.table(call.db.knex, user, call.scope, year);
	const name = `evaluation-${year}.${format}`;
	const disposition = `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`考核评价-${year}.${format}`)}`;
	if (format === 'csv') return { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition, 'Cache-Control': 'private, no-store' }, body: toCsv(e) };
	return {
		status: 200,
		headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': disposition, 'Cache-Control': 'private, no-store' },
		body: await toXlsx(e)
	};
}

async function put(call: Call, kind: 'community' | 'department'): Promise<Reply> {
	const user = allow(call.user, 'evaluation.write');
	const code = pathCode(call.params, 'code');
	const input = evaluationInput(parseJsonObject(await call.body(BODY_LIMIT), SHAPE));
	await evaluation.save(call.db.knex, user, call.scope, kind, code, input);
	return json({ code, year: input.year }, 200);
}

/** PUT /api/evaluation/communities/{code} {year, self_report?, county_score?}. */
export const putCommunity = (call: Call) => put(call, 'community');
/** PUT /api/evaluation/departments/{code} {year, self_report?, county_score?}. */
export const putDepartment = (call: Call) => put(call, 'department');
