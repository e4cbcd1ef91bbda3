/** The signed-in user of a Node or Express request (SvelteKit's hooks do the same for its routes). */
import type { IncomingMessage as Request } from 'node:http';
import type { Knex } from 'knex';
import { SESSION_COOKIE, userForSession, type User } from '../lib/server/accounts.js';

function cookie(req: Request, name: string): string | undefined {
	for (const part of (req.headers.cookie ?? '').split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return decodeURIComponent(value.join('='));
	}
	return undefined;
}

export async function requestUser(knex: Knex, req: Request): Promise<User | null> {
	return userForSession(knex, cookie(req, SESSION_COOKIE));
}
