import { json } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/app-database';
import * as health from '$lib/server/health';

export async function GET() {
	return json(await health.read(await appDatabase()));
}
