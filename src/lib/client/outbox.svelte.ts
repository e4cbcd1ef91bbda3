/**
 * The phone's outbox (issue 13): every record a field worker makes — a case report, a visit,
 * a rain-alert check — goes through here. It is kept on the phone first (IndexedDB), with the
 * time and position the page put in its body and an idempotency key of its own, then sent;
 * without a signal it waits, and is sent when the signal returns. However often a sending is
 * cut off and tried again, the server files the record once: it keys it by the idempotency key.
 *
 * Each record belongs to the account that made it: it is sent and listed only while that account
 * is signed in on the phone (another worker signing in neither sends it as theirs nor sees it);
 * settled records of another account are dropped.
 *
 * A record ends `sent`, or `conflict` (409: e.g. the case was closed meanwhile, the building
 * already checked by someone else) or `failed` (another refusal: the message says why); both
 * stay listed for the worker to see, with the server's reason, until they edit and resend it
 * or discard it (issue 21, point 2). Network failures, 5xx and a lapsed session (401) leave it
 * `waiting`, to be tried again. Pages hear of each record that lands (`onSent`), so the card
 * and the list show the visit as soon as the server has it (issue 21, point 3).
 */

export type OutboxKind = 'report' | 'visit' | 'check';
export type OutboxState = 'waiting' | 'sending' | 'sent' | 'conflict' | 'failed';

export interface OutboxRecord {
	/** the idempotency key the server files the record under */
	id: string;
	/** the account that made it: it is sent, and shown, only while that account is signed in */
	owner: string;
	kind: OutboxKind;
	url: string;
	body: Record<string, unknown>;
	/** photos to upload before the record (their tokens go in body.photos) */
	photos: Blob[];
	created_at: string;
	state: OutboxState;
	attempts: number;
	/** the server's message for a conflict or a refusal, or why it still waits (English, as the server wrote it) */
	message?: string;
	/** the catalogue code and params of that message, so the list shows it in the UI language (api-error.ts) */
	code?: string;
	params?: Record<string, string>;
	/** the server's answer once sent */
	result?: unknown;
	sent_at?: string;
}

const DB = 'wangge-outbox';
const STORE = 'records';
/** Sent records are listed this long, then dropped from the phone. */
const KEEP_SENT_MS = 24 * 3600_000;

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(DB, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

async function tx<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
	const db = await open();
	try {
		return await new Promise<T | undefined>((resolve, reject) => {
			const t = db.transaction(STORE, mode);
			const request = work(t.objectStore(STORE));
			t.oncomplete = () => resolve(request ? request.result : undefined);
			t.onerror = () => reject(t.error);
			t.onabort = () => reject(t.error);
		});
	} finally {
		db.close();
	}
}

/** The signed-in account, set by the layout: records are made, listed and sent as theirs. */
let owner: string | null = null;

const put = (record: OutboxRecord) => tx("readwrite", (s) => s.put(record));
const all = async () => ((await tx<OutboxRecord[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxRecord[]>)) ?? []).sort((a, b) => a.created_at.localeCompare(b.created_at));
const remove = (id: string) => tx('readwrite', (s) => s.delete(id));

/** The outbox as the pages see it: its records, and how many still wait. */
class Outbox {
	records = $state<OutboxRecord[]>([]);
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	get waiting() {
		return this.records.filter((r) => r.state === 'waiting' || r.state === 'sending').length;
	}
	get problems() {
		return this.records.filter((r) => r.state === 'conflict' || r.state === 'failed').length;
	}
	async refresh() {
		this.records = (await all()).filter((r) => r.owner === owner);
	}
}

export const outbox = new Outbox();

let flushing: Promise<void> | null = null;
let started = false;

/** Names the signed-in account (null when none): the outbox makes, lists and sends only its records. */
export function setOutboxOwner(username: string | null): void {
	if (owner === username) return;
	owner = username;
	if (typeof window === 'undefined') return;
	void prune().then(() => flush());
}

/** Starts sending on reconnect and every half minute while records wait; once per page. */
export function startOutbox(): void {
	if (started || typeof window === 'undefined') return;
	started = true;
	window.addEventListener('online', () => {
		outbox.online = true;
		void flush();
	});
	window.addEventListener('offline', () => (outbox.online = false));
	setInterval(() => {
		if (outbox.waiting) void flush();
	}, 30_000);
	void prune().then(flush);
}

/** Drops sent records older than a day, and another account's settled ones. */
async function prune(): Promise<void> {
	for (const r of await all()) {
		const settled = r.state === 'sent' || r.state === 'conflict' || r.state === 'failed';
		if ((r.state === 'sent' && r.sent_at && Date.now() - Date.parse(r.sent_at) > KEEP_SENT_MS) || (settled && r.owner !== owner)) await remove(r.id);
	}
	await outbox.refresh();
}

/** Puts a record in the outbox and tries to send it at once; resolves with the record as it stands after that try. */
export async function submit(kind: OutboxKind, url: string, body: Record<string, unknown>, opts: { photos?: Blob[] } = {}): Promise<OutboxRecord> {
	startOutbox();
	if (!owner) throw new Error('sign in to record this');
	const id = crypto.randomUUID();
	const record: OutboxRecord = { id, owner, kind, url, body: { ...body, idempotency_key: id }, photos: opts.photos ?? [], created_at: new Date().toISOString(), state: 'waiting', attempts: 0 };
	await put(record);
	await outbox.refresh();
	await flush();
	return (await all()).find((r) => r.id === id) ?? record;
}

/** Sends every waiting record, one at a time, in the order they were made (a visit after the case it names). */
export function flush(): Promise<void> {
	flushing ??= (async () => {
		try {
			for (const record of await all()) {
				if (record.owner !== owner || (record.state !== 'waiting' && record.state !== 'sending')) continue;
				const stop = await send(record);
				await outbox.refresh();
				if (stop) break;
			}
		} finally {
			flushing = null;
		}
	})();
	return flushing;
}

/** Tries one record; true when the network is gone (the rest need not be tried now). */
async function send(record: OutboxRecord): Promise<boolean> {
	record.state = 'sending';
	record.attempts++;
	await put(record);
	try {
		if (record.photos.length) {
			const tokens: string[] = [];
			for (const photo of record.photos) {
				const res = await fetch('/api/photos', { method: 'POST', headers: { 'content-type': photo.type || 'application/octet-stream' }, body: photo });
				if (!res.ok) return await settle(record, res);
				tokens.push((await res.json()).token);
			}
			record.body.photos = tokens;
			record.photos = [];
			await put(record);
		}
		const res = await fetch(record.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(record.body) });
		return await settle(record, res);
	} catch {
		record.state = 'waiting';
		Object.assign(record, { message: undefined, code: undefined, params: undefined });
		await put(record);
		outbox.online = false;
		return true;
	}
}

/** A refusal as the record keeps it: the server's message, code and params. */
function refusal(answer: { message?: unknown; code?: unknown; params?: unknown } | null, res: Response): Pick<OutboxRecord, 'message' | 'code' | 'params'> {
	return {
		message: typeof answer?.message === 'string' ? answer.message : res.statusText || String(res.status),
		code: typeof answer?.code === 'string' ? answer.code : undefined,
		params: answer?.params && typeof answer.params === 'object' ? (answer.params as Record<string, string>) : undefined
	};
}

/** What an answer makes of a record; true to stop trying the rest now. */
async function settle(record: OutboxRecord, res: Response): Promise<boolean> {
	const answer = await res.json().catch(() => null);
	outbox.online = true;
	if (res.ok) {
		Object.assign(record, { state: 'sent', result: answer, message: undefined, code: undefined, params: undefined, sent_at: new Date().toISOString() });
		await put(record);
		for (const listener of sentListeners) listener(record);
		return false;
	} else if (res.status === 401 || res.status === 429 || res.status >= 500) {
		// Signed out meanwhile, too many at once, or the server in trouble: it waits for another try.
		Object.assign(record, { state: 'waiting', ...refusal(answer, res) });
		await put(record);
		return true;
	} else {
		Object.assign(record, { state: res.status === 409 ? 'conflict' : 'failed', ...refusal(answer, res) });
	}
	await put(record);
	return false;
}

const sentListeners = new Set<(record: OutboxRecord) => void>();

/** Calls `listener` with each record the server takes from now on; returns the way to stop. */
export function onSent(listener: (record: OutboxRecord) => void): () => void {
	sentListeners.add(listener);
	return () => sentListeners.delete(listener);
}

/**
 * Sends a refused record again, with its body changed where the worker edited it (another
 * point, another text). The idempotency key stays: the server wrote nothing for the refusal.
 */
export async function resend(id: string, changes: Record<string, unknown> = {}): Promise<OutboxRecord | undefined> {
	const record = (await all()).find((r) => r.id === id);
	if (!record || record.owner !== owner || record.state === 'sent') return record;
	Object.assign(record, { body: { ...record.body, ...changes, idempotency_key: record.id }, state: 'waiting', message: undefined, answer: undefined });
	await put(record);
	await outbox.refresh();
	await flush();
	return (await all()).find((r) => r.id === id);
}

/** One record of the signed-in account, as stored. */
export async function find(id: string): Promise<OutboxRecord | undefined> {
	return (await all()).find((r) => r.id === id && r.owner === owner);
}

/** Removes a settled record from the list (the worker has seen it). */
export async function dismiss(id: string): Promise<void> {
	await remove(id);
	await outbox.refresh();
}
