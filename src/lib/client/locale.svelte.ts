/**
 * The reader's language: Chinese unless they chose English, remembered in localStorage.
 * One instance for the page; on the server it never changes from the default, so the
 * server-rendered page is always Chinese and the browser switches after hydration.
 */
import { DEFAULT_LOCALE, LOCALE_STORAGE_KEY, isLocale, label, translate, type LabelTable, type Locale, type MessageKey } from '$lib/i18n';

export class LocaleState {
	current = $state<Locale>(DEFAULT_LOCALE);

	/** Reads the remembered choice; call once in the browser. */
	restore() {
		try {
			const saved = localStorage.getItem(LOCALE_STORAGE_KEY);
			if (isLocale(saved)) this.current = saved;
		} catch {
			// Storage can be off (private mode, policy): stay with the default.
		}
		this.#applyToDocument();
	}

	toggle() {
		this.set(this.current === 'zh' ? 'en' : 'zh');
	}

	set(locale: Locale) {
		this.current = locale;
		try {
			localStorage.setItem(LOCALE_STORAGE_KEY, locale);
		} catch {
			// Not remembered, still switched.
		}
		this.#applyToDocument();
	}

	t = (key: MessageKey, params?: Record<string, string | number>) => translate(this.current, key, params);

	label = (table: LabelTable, code: string) => label(this.current, table, code);

	#applyToDocument() {
		document.documentElement.lang = this.current === 'zh' ? 'zh-CN' : 'en';
	}
}

export const locale = new LocaleState();
