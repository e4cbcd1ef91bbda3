import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { initAppDatabase } from '$lib/server/app-database';

// Under the Express server the database is already open; under `vite dev` this opens it.
export const init: ServerInit = async () => {
	await initAppDatabase({ log: (m) => console.log(m) });
};

// Never send a stack trace, SQL or driver message to the client; log it on the server.
export const handleError: HandleServerError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
