/**
 * CSV for spreadsheets, as the exports write it: a BOM so Excel and WPS read the Chinese as
 * UTF-8, CRLF lines, cells quoted when they need it, and text starting with =, +, - or @
 * defused (prefixed with ') so a spreadsheet never runs it as a formula (CSV injection).
 */
export function csvCell(value: unknown): string {
	const text = value == null ? '' : String(value);
	const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A whole CSV document of `rows`, one column per field in order. */
export function csvDocument<T>(fields: readonly (keyof T & string)[], rows: readonly T[]): string {
	const lines = [fields.join(','), ...rows.map((r) => fields.map((f) => csvCell(r[f])).join(','))];
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
