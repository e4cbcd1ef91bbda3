/**
 * Page loads, the way endpoint.ts serves endpoints: one wrapper (`pageLoad`) opens the
 * database, takes the user the hook loaded (hooks.server.ts, once per request), works out
 * what they may read (territory.ts) and, for a page that needs someone signed in, sends a
 * reader who is not to the sign-in page and back. A loader then only asks its concept's verbs
 * and shapes what the page shows; an ApiError its verbs throw becomes SvelteKit's error page
 * with the error's status, not a 500.
 */
import { error, redirect } from '@sveltejs/kit';
import type { User } from '../accounts/user.js';
import type { Database } from '../platform/db.js';
import { appDatabase } from '../platform/app-database.js';
import { isApiError } from '../platform/errors.js';
import { scopeFor, type Scope } from '../ownership/territory.js';

/** What a page's loader knows of its request. */
export interface PageCall<U extends User | null = User> {
	db: Database;
	/** the caller (signed in, for a page that asks for it) */
	user: U;
	/** what the caller may read */
	scope: Scope;
	url: URL;
	params: Record<string, string>;
}

/** The part of SvelteKit's load event a page loader reads. */
export interface PageEvent {
	locals: App.Locals;
	url: URL;
	params: Record<string, string>;
}

export interface SignedIn {
	signIn: true;
	/** the reader comes back to the page with its query too (a filtered list), not just its path */
	backWithQuery?: boolean;
}

export interface Open {
	signIn: false;
}

/** A loader of a page only the signed-in may see; a reader who is not signs in and comes back. */
export function pageLoad<T>(options: SignedIn, load: (page: PageCall<User>) => Promise<T> | T): (event: PageEvent) => Promise<T>;
/** A loader of a page anyone may see (its user is null for an anonymous reader). */
export function pageLoad<T>(options: Open, load: (page: PageCall<User | null>) => Promise<T> | T): (event: PageEvent) => Promise<T>;
export function pageLoad<T>(options: SignedIn | Open, load: (page: PageCall<never>) => Promise<T> | T) {
	return async ({ locals, url, params }: PageEvent): Promise<T> => {
		const user = locals.user ?? null;
		if (options.signIn && !user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + (options.backWithQuery ? url.search : ''))}`);
		try {
			const db = await appDatabase();
			const scope = await scopeFor(db.knex, user);
			return await load({ db, user: user as never, scope, url, params });
		} catch (e) {
			throw asPageError(e);
		}
	};
}

/** An ApiError as SvelteKit's error (its page, its status); anything else as it was. */
function asPageError(e: unknown): unknown {
	if (!isApiError(e)) return e;
	try {
		error(e.status, e.message);
	} catch (pageError) {
		return pageError;
	}
}
