/** Small helpers for reading query parameters in routes: each bad value becomes a 400 naming it. */
import { error } from '@sveltejs/kit';

export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
	const raw = params.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	if (!/^-?\d+$/.test(raw) || value < min || value > max) error(400, `${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
	return value;
}

export function numberParam(params: URLSearchParams, name: string, min: number, max: number): number {
	const raw = params.get(name);
	if (raw === null || raw.trim() === '') error(400, `${name} is required`);
	const value = Number(raw);
	if (!Number.isFinite(value)) error(400, `${name} must be a number, got '${raw}'`);
	if (value < min || value > max) error(400, `${name} ${value} is out of range [${min}, ${max}]`);
	return value;
}

export function enumParam<T extends string>(params: URLSearchParams, name: string, values: readonly T[]): T | undefined {
	const raw = params.get(name);
	if (raw === null || raw === '') return undefined;
	if (!(values as readonly string[]).includes(raw)) error(400, `${name} '${raw}' is not one of ${values.join(', ')}`);
	return raw as T;
}
