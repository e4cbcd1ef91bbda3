/** Small helpers for creating and dropping test databases on the PostGIS server. */
import pg from 'pg';

export function databaseUrl(adminUrl: string, database: string): string {
	const url = new URL(adminUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

/** Runs one admin statement (CREATE/DROP DATABASE cannot take bind parameters). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}
