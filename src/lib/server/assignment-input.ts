/** Checking assignment requests: every bad field is a 400 that names it. */
import { error } from '@sveltejs/kit';
import { ROLES, type Role } from '../domain/glossary.js';
import type { AssignInput } from './people.js';

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
const today = () => new Date().toISOString().slice(0, 10);

export function readReason(body: Record<string, unknown>): string {
	if (typeof body.reason !== 'string' || body.reason.trim() === '') error(400, 'reason is required: say why');
	return body.reason.trim();
}

export function readDate(body: Record<string, unknown>, field: string): string {
	const value = body[field];
	if (value === undefined || value === null || value === '') return today();
	if (!isDate(value)) error(400, `${field} must be a date YYYY-MM-DD`);
	return value;
}

export function readAssign(body: Record<string, unknown>): AssignInput {
	if (typeof body.person_code !== 'string' || !body.person_code) error(400, 'person_code is required');
	if (typeof body.role !== 'string' || !(ROLES as readonly string[]).includes(body.role)) error(400, `role must be one of ${ROLES.join(', ')}`);
	if (typeof body.target_code !== 'string' || !body.target_code) error(400, 'target_code is required');
	return {
		person_code: body.person_code,
		role: body.role as Role,
		target_code: body.target_code,
		valid_from: readDate(body, 'valid_from'),
		reason: readReason(body)
	};
}
