import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { appDatabase, initAppDatabase } from '$lib/server/app-database';
import { SESSION_COOKIE, userForSession } from '$lib/server/accounts';

// Under the Express server the database is already open; under `vite dev` this opens it.
export const init: ServerInit = async () => {
	await initAppDatabase({ log: (m) => console.log(m) });
};

/** Who is asking: the signed-in user of the session cookie, or null (anonymous). */
export const handle: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = token ? await userForSession((await appDatabase()).knex, token) : null;
	return resolve(event);
};

// Never send a stack trace, SQL or driver message to the client; log it on the server.
export const handleError: HandleServerError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
