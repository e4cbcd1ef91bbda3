/**
 * Open311 GeoReport v2, what it serves: the case categories other apps may report under (its
 * services), the published cases (its service requests, as case-publication.ts lets the public
 * see them), the apps that hold an API key, and a report from one of them — which goes through
 * cases.create like any other, so it is dispatched by its category's rule and lands in the
 * handler's work list. Reading never selects who reported (name, contact). The protocol — its
 * parameters, its JSON and XML documents and its errors — is http/open311.ts.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { fail } from '../platform/errors.js';
import { create, type ReportInput } from '../cases/cases.js';
import { openSql } from '../../domain/issues.js';
import { publicDays, publicationSql, publishedSql } from '../cases/case-publication.js';
import type { IssueSource, IssueStatus, Publication } from '../../domain/glossary.js';

/** Hejiang County's administrative division code: the one jurisdiction this server serves. */
export const JURISDICTION_ID = '510522';

/** The most rows one answer holds. */
const MAX_REQUESTS = 1000;

// ---------------------------------------------------------------- services

export interface Category {
	code: string;
	handler: 'grid_worker' | 'community' | 'department';
	department: string | null;
}

/** The active categories offered to other apps: an internal one is not a service at all (case-publication.ts). */
export async function categories(knex: Knex): Promise<Category[]> {
	const { rows } = await knex.raw(
		`SELECT c.code, c.handler, d.name AS department
		 FROM case_categories c LEFT JOIN departments d ON d.id = c.department_id
		 WHERE c.active AND c.publication <> 'internal' ORDER BY c.sort, c.code`
	);
	return rows;
}

/** A service by its code; `status` says how a client hears it is missing (400 in a report, 404 in a lookup). */
export async function findCategory(knex: Knex, code: string, status: 400 | 404): Promise<Category> {
	const all = await categories(knex);
	const found = all.find((c) => c.code === code);
	if (!found) fail(status, `service_code '${code.slice(0, 60)}' was not found; one of ${all.map((c) => c.code).join(', ')}`);
	return found;
}

// ---------------------------------------------------------------- requests

export interface RequestFilter {
	ids?: string[];
	codes?: string[];
	status?: 'open' | 'closed';
	start: Date;
	end: Date;
}

/**
 * Cases as service requests: by id (the other filters then do not apply, as the spec says),
 * else by category, open or closed, and reported time; newest first. Only published cases
 * (case-publication.ts), by id as in the list. Reporter name and contact are not selected at
 * all, nor any staff note: the status notes are the latest reply written as public.
 */
const REQUESTS_SQL = `
SELECT i.code, i.status, i.category, i.description, i.reported_at, i.updated_at, i.due_at, i.address, i.media_url,
	ST_Y(i.geom) AS lat, ST_X(i.geom) AS lng, b.code AS building_code, ${openSql('i')} AS open, ${publicationSql('i')} AS publication,
	CASE i.handler_kind WHEN 'grid_worker' THEN hg.name WHEN 'department' THEN hd.name ELSE hc.name END AS agency,
	(SELECT e.public_reply FROM issue_events e WHERE e.issue_id = i.id AND e.public_reply IS NOT NULL AND e.public_reply <> '' ORDER BY e.at DESC, e.id DESC LIMIT 1) AS reply
FROM issues i
LEFT JOIN buildings b ON b.id = i.building_id
LEFT JOIN grids hg ON hg.id = i.handler_grid_id
LEFT JOIN communities hc ON hc.id = i.handler_community_id
LEFT JOIN departments hd ON hd.id = i.handler_department_id
WHERE ${publishedSql('i')} AND CASE WHEN CAST(:ids AS text[]) IS NOT NULL THEN i.code = ANY(CAST(:ids AS text[]))
	ELSE i.reported_at >= :start AND i.reported_at <= :end
		AND (CAST(:codes AS text[]) IS NULL OR i.category = ANY(CAST(:codes AS text[])))
		AND (CAST(:status AS text) IS NULL OR (${openSql('i')}) = (:status = 'open'))
	END
ORDER BY i.reported_at DESC, i.code DESC
LIMIT :limit`;

export interface RequestRow {
	code: string;
	status: IssueStatus;
	category: string;
	description: string | null;
	reported_at: Date;
	updated_at: Date | null;
	due_at: Date | null;
	address: string | null;
	media_url: string | null;
	lat: number;
	lng: number;
	building_code: string | null;
	open: boolean;
	publication: Publication;
	agency: string | null;
	reply: string | null;
}

/** The published cases a filter asks for, newest first, at most MAX_REQUESTS. */
export async function findRequests(knex: Knex, filter: RequestFilter): Promise<RequestRow[]> {
	const { rows } = await knex.raw(REQUESTS_SQL, {
		ids: filter.ids ?? null,
		codes: filter.codes ?? null,
		status: filter.status ?? null,
		start: filter.start,
		end: filter.end,
		limit: MAX_REQUESTS,
		public_days: publicDays()
	});
	return rows;
}

// ---------------------------------------------------------------- reporting

export interface ApiKey {
	id: number;
	name: string;
	source: IssueSource;
}

/** The app an api_key belongs to; a 403 for a missing, unknown or revoked key (the spec's one error for all three). */
export async function apiKey(knex: Knex, key: string | undefined): Promise<ApiKey> {
	if (!key) fail(403, 'api_key is required: ask the county grid management centre for one');
	const hash = createHash('sha256').update(key).digest('hex');
	const row = await knex('api_keys').where({ key_hash: hash }).whereNull('revoked_at').first('id', 'name', 'source');
	if (!row) fail(403, 'api_key is not valid: unknown or revoked');
	return row;
}

/**
 * A report from an app: created as the reporter named (else as the app), the case's code
 * and its service request as the answer shows it.
 */
export async function report(knex: Knex, app: ApiKey, input: ReportInput): Promise<{ code: string; row: RequestRow | undefined }> {
	const created = await create(knex, { user: null, name: input.reporter_name ?? app.name }, { kind: 'outlines' }, input);
	const [row] = await findRequests(knex, { ids: [created.code], start: new Date(0), end: new Date() });
	return { code: created.code, row };
}
