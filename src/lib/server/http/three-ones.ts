/**
 * 三个一 and joint meetings over HTTP: reading visits, reports, meetings and matters from
 * requests, the permission check, and the answers. The verbs live in governance/three-ones.ts.
 */
import { json, type Call, type Reply } from './endpoint.js';
import {
	bodyCode, bodyDate, bodyNumber, bodyOneOf, bodyOptionalText, bodyText, checkPlainText, checkText, parseJsonObject, pathCode, pathId,
	queryInt, MAX_CODE, type JsonObject
} from './params.js';
import { allow } from './allow.js';
import { fail } from '../platform/errors.js';
import * as threeOnes from '../governance/three-ones.js';
import { chinaDay } from '../../domain/work-calendar.js';
import { MATTER_TYPES, URGENCIES } from '../../domain/glossary.js';

export const BODY_LIMIT = 64 * 1024;
/** The most rows a list field (raised, resolved, agreements) holds. */
const MAX_ROWS = 50;

function queryYear(query: URLSearchParams): number {
	return queryInt(query, 'year', Number(chinaDay().slice(0, 4)), threeOnes.MIN_YEAR, threeOnes.MAX_YEAR);
}

/** A day no later than today (China) and not before MIN_YEAR (three-ones.ts). */
function pastDay(body: JsonObject, name: string): string {
	const day = bodyDate(body, name, chinaDay());
	if (day > chinaDay()) fail(400, `${name} ${day} is in the future`);
	if (day < `${threeOnes.MIN_YEAR}-01-01`) fail(400, `${name} ${day} is before ${threeOnes.MIN_YEAR}`);
	return day;
}

function optionalPlain(body: JsonObject, name: string, max: number): string | undefined {
	const value = bodyOptionalText(body, name, max)?.trim();
	return value ? checkPlainText(name, value) : undefined;
}

/** A list field of at most MAX_ROWS entries. */
function list(body: JsonObject, name: string): unknown[] {
	const value = Object.hasOwn(body, name) ? body[name] : undefined;
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) fail(400, `${name} must be a list`);
	if (value.length > MAX_ROWS) fail(400, `${name} may hold at most ${MAX_ROWS} entries, got ${value.length}`);
	return value;
}

/** A row's text: a string, or an object's `text`. */
function rowText(name: string, value: unknown, max = 1000): string {
	const text = typeof value === 'string' ? value : value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject).text : undefined;
	if (typeof text !== 'string' || text.trim() === '') fail(400, `${name}.text is required`);
	return checkPlainText(`${name}.text`, checkText(`${name}.text`, text.trim(), max));
}

function names(name: string, value: unknown, maxEach: number): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) fail(400, `${name} must be a list`);
	if (value.length > 100) fail(400, `${name} may hold at most 100 entries, got ${value.length}`);
	return value.map((v, i) => {
		if (typeof v !== 'string' || v.trim() === '') fail(400, `${name}[${i}] must be a non-empty string`);
		return checkPlainText(`${name}[${i}]`, checkText(`${name}[${i}]`, v.trim(), maxEach));
	});
}

/** An optional point: lng and lat together or neither. */
function optionalPoint(body: JsonObject): [number, number] | null {
	const has = (k: string) => Object.hasOwn(body, k) && body[k] !== null && body[k] !== undefined && body[k] !== '';
	if (!has('lng') && !has('lat')) return null;
	return [bodyNumber(body, 'lng', -180, 180), bodyNumber(body, 'lat', -90, 90)];
}

const ACTIVITY_SHAPE = '{"kind": "visit" | "report", "community_code", "held_on"?, "place"?, "note"?}';

export function activityInput(body: JsonObject): threeOnes.ActivityInput {
	return {
		kind: bodyOneOf(body, 'kind', ['visit', 'report'] as const),
		community_code: bodyCode(body, 'community_code'),
		held_on: pastDay(body, 'held_on'),
		place: optionalPlain(body, 'place', 200),
		note: optionalPlain(body, 'note', 2000)
	};
}

const MEETING_SHAPE =
	'{"community_code", "held_on"?, "place", "note"?, "attendees"?: [name], "attendee_codes"?: [person code], "raised"?: [{"text", "lng"?, "lat"?}], "resolved"?: [{"text"}], "agreements"?: [{"text", "parties": [name]}]}';

export function meetingInput(body: JsonObject): threeOnes.MeetingInput {
	const community_code = bodyCode(body, 'community_code');
	const held_on = pastDay(body, 'held_on');
	const place = checkPlainText('place', bodyText(body, 'place', { max: 200, hint: 'where the meeting was held' }));
	const note = optionalPlain(body, 'note', 2000);
	const attendees = names('attendees', body.attendees, 60);
	const attendee_codes = names('attendee_codes', body.attendee_codes, MAX_CODE);
	const raised = list(body, 'raised').map((row, i): threeOnes.RaisedMatter => {
		const name = `raised[${i}]`;
		const text = rowText(name, row);
		if (typeof row !== 'object' || row === null) return { text, point: null };
		const r = row as JsonObject;
		const has = (k: string) => Object.hasOwn(r, k) && r[k] !== null && r[k] !== undefined;
		if (!has('lng') && !has('lat')) return { text, point: null };
		const coord = (k: 'lng' | 'lat', max: number) => {
			const v = has(k) ? r[k] : undefined;
			if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > max) fail(400, `${name}.${k} must be a number from -${max} to ${max}`);
			return v;
		};
		return { text, point: [coord('lng', 180), coord('lat', 90)] };
	});
	const resolved = list(body, 'resolved').map((row, i) => rowText(`resolved[${i}]`, row));
	const agreements = list(body, 'agreements').map((row, i) => {
		const name = `agreements[${i}]`;
		const text = rowText(name, row);
		const parties = row && typeof row === 'object' ? names(`${name}.parties`, (row as JsonObject).parties, 100) : [];
		return { text, parties };
	});
	return { community_code, held_on, place, note, attendees, attendee_codes, raised, resolved, agreements };
}

const CASE_SHAPE = '{"category", "lng"?, "lat"? (when the matter has no point), "description"?, "matter_type"?, "urgency"?}';

export function matterCaseInput(body: JsonObject): threeOnes.MatterCaseInput {
	const description = optionalPlain(body, 'description', 2000);
	return {
		category: bodyCode(body, 'category'),
		matter_type: bodyOptionalText(body, 'matter_type') === undefined ? 'practical' : bodyOneOf(body, 'matter_type', MATTER_TYPES),
		urgency: bodyOptionalText(body, 'urgency') === undefined ? 'general' : bodyOneOf(body, 'urgency', URGENCIES),
		description,
		point: optionalPoint(body)
	};
}

/** GET /api/three-ones?year=: the county table, every community the caller may read. */
export async function getTable(call: Call): Promise<Reply> {
	allow(call.user, 'three-ones.read');
	const year = queryYear(call.query);
	return json({ year, today: chinaDay(), communities: await threeOnes.table(call.db.knex, call.scope, year) }, 200, { 'Cache-Control': 'private, no-cache' });
}

/** GET /api/communities/{code}/three-ones?year=: one community's obligations and records. */
export async function getCommunity(call: Call): Promise<Reply> {
	allow(call.user, 'three-ones.read');
	const code = pathCode(call.params, 'code');
	const year = queryYear(call.query);
	const result = await threeOnes.forCommunity(call.db.knex, call.scope, code, year);
	if (!result) fail(404, `no community with code '${code}'`);
	return json({ year, today: chinaDay(), ...result }, 200, { 'Cache-Control': 'private, no-cache' });
}

/** POST /api/three-ones: record a visit or a report (201 with its id). */
export async function postActivity(call: Call): Promise<Reply> {
	const user = allow(call.user, 'three-ones.record');
	const input = activityInput(parseJsonObject(await call.body(BODY_LIMIT), ACTIVITY_SHAPE));
	const id = await threeOnes.recordActivity(call.db.knex, user, call.scope, input);
	return json({ id, kind: input.kind, community_code: input.community_code, held_on: input.held_on }, 201);
}

/** POST /api/meetings: record a joint meeting (201 with its id). */
export async function postMeeting(call: Call): Promise<Reply> {
	const user = allow(call.user, 'meeting.record');
	const input = meetingInput(parseJsonObject(await call.body(BODY_LIMIT), MEETING_SHAPE));
	const id = await threeOnes.recordMeeting(call.db.knex, user, call.scope, input);
	return json({ id }, 201, { Location: `/api/meetings/${id}` });
}

/** GET /api/meetings/{id}: the meeting's record. */
export async function getMeeting(call: Call): Promise<Reply> {
	const user = allow(call.user, 'meeting.read');
	const id = pathId(call.params, 'id');
	const result = await threeOnes.meeting(call.db.knex, user, call.scope, id);
	if (!result) fail(404, `no meeting ${id}`);
	return json(result, 200, { 'Cache-Control': 'private, no-cache' });
}

/** POST /api/meetings/{id}/matters/{n}/case: the matter becomes a case (201 with its code); again, a 409 naming it. */
export async function postMatterCase(call: Call): Promise<Reply> {
	const user = allow(call.user, 'matter.to-case');
	const id = pathId(call.params, 'id');
	const n = pathId(call.params, 'n');
	const input = matterCaseInput(parseJsonObject(await call.body(BODY_LIMIT), CASE_SHAPE));
	const created = await threeOnes.matterToCase(call.db.knex, user, call.scope, id, n, input);
	return json({ ...created, meeting: id, matter: n }, 201, { Location: `/api/cases/${created.code}` });
}

