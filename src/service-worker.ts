/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker (issue 13): the app keeps working on a phone without a signal.
 *
 * - The app shell — the built scripts and styles, the static files — is cached at install.
 * - Pages are fetched from the network and kept; without a signal the kept copy answers.
 * - The field worker's pack (GET /api/me/offline: their grids, buildings with their cards,
 *   open cases) and the map tiles covering their territory are fetched when the page asks
 *   (message `pack`) and kept in one cache per account. Without a signal the worker's own
 *   reads — /api/me/buildings, /api/me/buildings/{code} — are answered from the pack, and
 *   tiles from the cache (an empty tile where none was kept).
 * - Nothing else is kept: no other account's data, no other area's records. Signing out, or
 *   another account signing in, empties the territory cache.
 *
 * Writes never pass through a cache: the outbox (src/lib/client/outbox.svelte.ts) keeps them.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL = `shell-${version}`;
const PAGES = 'pages';
const TERRITORY = 'territory';
const PACK_URL = '/api/me/offline';
/** Pages a field worker opens without a signal, fetched with the pack. */
const FIELD_PAGES = ['/', '/me', '/__data.json', '/me/__data.json'];
/** Public reference the field map needs without a signal: the county outline for its mask, each tile layer's TileJSON. */
const FIELD_REFERENCE = ['/api/layers/county', ...['streets', 'communities', 'grids', 'compounds', 'buildings', 'issues', 'renovation', 'flood'].map((l) => `/tiles/${l}.json`)];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll([...build, ...files]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key.startsWith('shell-') && key !== SHELL) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

const OFFLINE_JSON = (message: string) =>
	new Response(JSON.stringify({ message, code: 'offline', params: {} }), { status: 503, headers: { 'content-type': 'application/json; charset=utf-8', 'x-offline': '1' } });

/** The pack as kept, or null. */
async function keptPack(): Promise<Record<string, any> | null> {
	// caches.has first: opening would create the cache, and its mere existence lets pages be kept.
	if (!(await caches.has(TERRITORY))) return null;
	const res = await (await caches.open(TERRITORY)).match(PACK_URL);
	return res ? res.json() : null;
}

/** A read the pack can answer without a signal. */
async function fromPack(url: URL): Promise<Response | null> {
	const pack = await keptPack();
	if (!pack) return null;
	const answer = (value: unknown) => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json; charset=utf-8', 'x-offline': '1' } });
	if (url.pathname === PACK_URL) return (await (await caches.open(TERRITORY)).match(PACK_URL)) ?? null;
	if (url.pathname === '/api/me/buildings') return answer({ buildings: pack.buildings ?? [], offline: true });
	const card = /^\/api\/me\/buildings\/([^/]+)$/.exec(url.pathname);
	if (card) {
		const value = pack.cards?.[decodeURIComponent(card[1])];
		return value ? answer(value) : null;
	}
	return null;
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	// Signing out, or signing in as someone else, ends what the phone keeps of the last account.
	if (url.pathname === '/api/session' && (request.method === 'DELETE' || request.method === 'POST')) {
		event.respondWith(
			fetch(request).then(async (res) => {
				if (res.ok) await (request.method === 'DELETE' ? forget() : forgetIfAnotherAccount(res.clone()));
				return res;
			})
		);
		return;
	}
	if (request.method !== 'GET') return;

	// The app's own files never change under a version: from the cache first.
	if (build.includes(url.pathname) || files.includes(url.pathname) || url.pathname.startsWith('/_app/immutable/')) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (url.pathname.startsWith('/tiles/') && url.pathname.endsWith('.pbf')) {
		event.respondWith(tile(request));
		return;
	}
	if (url.pathname.startsWith('/tiles/') && url.pathname.endsWith('.json')) {
		event.respondWith(api(request, url));
		return;
	}
	if (url.pathname.startsWith('/api/')) {
		event.respondWith(api(request, url));
		return;
	}
	// A page's data when SvelteKit navigates on the client: kept and answered like the page.
	if (request.mode === 'navigate' || url.pathname.endsWith('/__data.json')) event.respondWith(page(request));
});

/** Tiles: the network; without it the kept copy, or an empty tile (204) where none was kept. */
async function tile(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch {
		// Kept by their path alone: the cookie is the same account's, the query carries nothing.
		const hit = (await caches.has(TERRITORY)) ? await (await caches.open(TERRITORY)).match(new URL(request.url).pathname) : undefined;
		return hit ?? new Response(null, { status: 204, headers: { 'x-offline': '1' } });
	}
}

/** API reads: the network; without it what the pack can answer, else a JSON 503 saying so. */
async function api(request: Request, url: URL): Promise<Response> {
	try {
		const res = await fetch(request);
		// A sign-out, or someone else signing in, ends what the phone may keep of the last account.
		if (url.pathname === '/api/session' && res.ok) await forgetIfAnotherAccount(res.clone());
		return res;
	} catch {
		const kept = url.search || !(await caches.has(TERRITORY)) ? undefined : await (await caches.open(TERRITORY)).match(url.pathname);
		return (await fromPack(url)) ?? kept ?? OFFLINE_JSON('没有网络：离线时只能查看本人网格的数据 / offline: only your own territory is available');
	}
}

/** Pages: the network, keeping a copy of the field pages; without it the kept copy. */
async function page(request: Request): Promise<Response> {
	const url = new URL(request.url);
	try {
		const res = await fetch(request);
		// Only a field account's pages (the pack exists), and only a page's whole data: an answer to
		// `x-sveltekit-invalidated` with a 0 skips nodes, and would be wrong for another navigation.
		const whole = !/0/.test(url.searchParams.get('x-sveltekit-invalidated') ?? '');
		if (res.ok && whole && FIELD_PAGES.includes(url.pathname) && (await keptPack())) await (await caches.open(PAGES)).put(url.pathname, res.clone());
		return res;
	} catch {
		const hit = (await caches.has(PAGES)) ? await (await caches.open(PAGES)).match(url.pathname) : undefined;
		return hit ?? new Response('<!doctype html><meta charset="utf-8"><title>离线</title><p>没有网络，此页未保存。/ Offline: this page was not kept.</p>', { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
	}
}

/** Empties what the phone keeps of an account when the session says it is no longer the one signed in. */
async function forgetIfAnotherAccount(res: Response): Promise<void> {
	const session = (await res.json().catch(() => null)) as { user?: { username?: string } | null } | null;
	const pack = await keptPack();
	// Whatever is kept belongs to the pack's account; without a pack nothing should be, so it goes too.
	if (!pack || pack.user?.username !== session?.user?.username) await forget();
}

async function forget(): Promise<void> {
	await caches.delete(TERRITORY);
	await caches.delete(PAGES);
}

/**
 * Fetches the pack and the tiles it lists into the territory cache, replacing what was kept;
 * reports progress to the page that asked.
 */
/** App files the build's list leaves out (the map's worker), named by the page: kept with the shell. */
async function keepAssets(assets: string[]): Promise<void> {
	const shell = await caches.open(SHELL);
	for (const path of assets.filter((a) => a.startsWith('/_app/immutable/'))) if (!(await shell.match(path))) await shell.add(path).catch(() => {});
}

async function pack(reply: (message: unknown) => void): Promise<void> {
	const res = await fetch(PACK_URL, { credentials: 'same-origin', cache: 'no-store' });
	if (!res.ok) {
		// Not a field account (403) or signed out (401): nothing of anyone is kept.
		if (res.status === 401 || res.status === 403) await forget();
		reply({ type: 'pack', state: 'refused', status: res.status });
		return;
	}
	const body = await res.clone().json();
	const previous = await keptPack();
	if (previous && previous.user?.username !== body.user?.username) await forget();
	const cache = await caches.open(TERRITORY);
	const wanted = new Set<string>((body.tiles ?? []) as string[]);
	// Tiles no longer of the territory leave the phone.
	for (const request of await cache.keys()) {
		const path = new URL(request.url).pathname;
		if (path.startsWith('/tiles/') && !wanted.has(path)) await cache.delete(request);
	}
	let done = 0;
	const queue = [...wanted];
	const worker = async () => {
		for (let path = queue.shift(); path; path = queue.shift()) {
			const tileRes = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
			if (tileRes && (tileRes.status === 200 || tileRes.status === 204)) await cache.put(path, tileRes);
			if (++done % 20 === 0) reply({ type: 'pack', state: 'tiles', done, total: wanted.size });
		}
	};
	await Promise.all([worker(), worker(), worker(), worker()]);
	for (const path of FIELD_REFERENCE) {
		const refRes = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
		if (refRes?.ok) await cache.put(path, refRes);
	}
	await cache.put(PACK_URL, res);
	// The field pages, so they open without a signal too.
	const pages = await caches.open(PAGES);
	for (const path of FIELD_PAGES) {
		const pageRes = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
		if (pageRes?.ok) await pages.put(path, pageRes);
	}
	reply({ type: 'pack', state: 'ready', buildings: body.buildings?.length ?? 0, tiles: wanted.size, generated_at: body.generated_at });
}

/** One pack at a time (two tabs, a reload): the second asker waits for the first. */
let packing: Promise<void> | null = null;
/** A pack this fresh for the same account is not fetched again at the next page load. */
const PACK_FRESH_MS = 10 * 60_000;

async function packOnce(reply: (message: unknown) => void, assets: string[]): Promise<void> {
	await keepAssets(assets);
	if (packing) return packing.then(() => reply({ type: 'pack', state: 'ready' }));
	const kept = await keptPack();
	const session = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' })
		.then((r) => r.json())
		.catch(() => null);
	if (kept && session?.user?.username === kept.user?.username && Date.now() - Date.parse(kept.generated_at) < PACK_FRESH_MS) {
		reply({ type: 'pack', state: 'ready', buildings: kept.buildings?.length ?? 0, tiles: kept.tiles?.length ?? 0, generated_at: kept.generated_at, fresh: true });
		return;
	}
	packing = pack(reply).finally(() => (packing = null));
	return packing;
}

sw.addEventListener('message', (event) => {
	const data = event.data as { type?: string; assets?: string[] } | null;
	const source = event.source as Client | null;
	const reply = (message: unknown) => source?.postMessage(message);
	if (data?.type === 'pack') event.waitUntil(packOnce(reply, Array.isArray(data.assets) ? data.assets : []).catch(() => reply({ type: 'pack', state: 'offline' })));
	if (data?.type === 'forget') event.waitUntil(forget().then(() => reply({ type: 'forgotten' })));
});
