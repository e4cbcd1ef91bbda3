/**
 * What an outbox record's state says to the worker: 已发送 with the case's code or the time it
 * landed, 已保存，待发送, or the server's reason for a refusal (issue 21, points 2 and 3).
 */
import type { OutboxRecord } from '$lib/client/outbox.svelte';
import { describeError } from '$lib/api-error';
import type { Locale, MessageKey } from '$lib/i18n';

interface Translator {
	current: Locale;
	t(key: MessageKey, params?: Record<string, string | number>): string;
}

/** The code of the case a sent report made, if the server named one. */
export function sentCaseCode(record: OutboxRecord): string | null {
	const result = record.result as { code?: unknown } | undefined;
	return record.kind === 'report' && typeof result?.code === 'string' ? result.code : null;
}

/** hh:mm, China time, of an instant. */
function clock(locale: Locale, iso: string): string {
	return new Date(iso).toLocaleTimeString(locale === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
}

export function outboxStateText(record: OutboxRecord, locale: Translator): string {
	if (record.state === 'sent') {
		const code = sentCaseCode(record);
		return code ? locale.t('outboxSentCase', { code }) : locale.t('outboxSentAt', { time: clock(locale.current, record.sent_at ?? record.created_at) });
	}
	if (record.state === 'waiting' || record.state === 'sending') return locale.t('outboxWaiting');
	return locale.t(record.state === 'conflict' ? 'outboxConflict' : 'outboxFailed', { message: describeError(record, locale.current) });
}
