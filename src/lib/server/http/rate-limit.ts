/**
 * A fixed-window counter per key (an address, a key and an address): enough to keep one
 * client from flooding the public form or the photo upload, without a store of its own.
 * Per process: a server restarted forgets, which is acceptable for a nuisance limit.
 */
import { fail } from '../platform/errors.js';

interface Window {
	start: number;
	count: number;
}
const windows = new Map<string, Window>();
const MAX_KEYS = 100_000;

/** Counts one use of `key`; a 429 with Retry-After once `limit` uses fall in `windowMs`. */
export function take(key: string, limit: number, windowMs: number, what: string): void {
	const now = Date.now();
	let w = windows.get(key);
	if (!w || now - w.start >= windowMs) {
		if (windows.size >= MAX_KEYS) pruneOlderThan(now - windowMs);
		w = { start: now, count: 0 };
		windows.set(key, w);
	}
	w.count++;
	if (w.count > limit) {
		const retry = Math.ceil((w.start + windowMs - now) / 1000);
		fail(429, `too many ${what} from your address: at most ${limit} in ${Math.round(windowMs / 60_000)} minutes; try again in ${retry} s`, { 'Retry-After': String(retry) });
	}
}

function pruneOlderThan(cutoff: number): void {
	for (const [key, w] of windows) if (w.start < cutoff) windows.delete(key);
}

/** Forgets every window (tests). */
export function resetRateLimits(): void {
	windows.clear();
}
