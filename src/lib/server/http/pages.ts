/** For page loads: an ApiError from a domain function becomes SvelteKit's error page with its status, not a 500. */
import { error } from '@sveltejs/kit';
import { isApiError } from '../platform/errors.js';

export async function forPage<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (e) {
		if (isApiError(e)) error(e.status, e.message);
		throw e;
	}
}
