/**
 * The phone's outbox (issue 13): every record a field worker makes — a case report, a visit,
 * a rain-alert check — goes through here. It is kept on the phone first, with its time and
 * position, under an idempotency key of its own, then sent; without a signal it waits and is
 * sent when the signal returns, once, however often the sending is retried.
 *
 * (First version: the interface pages use. Storage in IndexedDB and sending on reconnect
 * follow in the same module.)
 */

export type OutboxKind = 'report' | 'visit' | 'check';
export type OutboxState = 'waiting' | 'sending' | 'sent' | 'conflict' | 'failed';

export interface OutboxRecord {
	/** the idempotency key the server files the record under */
	id: string;
	kind: OutboxKind;
	url: string;
	body: Record<string, unknown>;
	created_at: string;
	state: OutboxState;
	attempts: number;
	/** the server's message for a conflict or a refusal */
	message?: string;
	/** the server's answer once sent */
	result?: unknown;
}

/** Puts a record in the outbox and tries to send it at once; resolves with the record as it stands. */
export async function submit(kind: OutboxKind, url: string, body: Record<string, unknown>): Promise<OutboxRecord> {
	const record: OutboxRecord = { id: crypto.randomUUID(), kind, url, body: { ...body }, created_at: new Date().toISOString(), state: 'waiting', attempts: 0 };
	record.body.idempotency_key = record.id;
	record.attempts++;
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(record.body) });
	const answer = await res.json().catch(() => null);
	if (res.ok) return { ...record, state: 'sent', result: answer };
	return { ...record, state: res.status === 409 ? 'conflict' : 'failed', message: answer?.message ?? res.statusText };
}
