/**
 * The page a browser gets while the database is down: a 503 saying so, Chinese first and
 * English below, and when to come back (Retry-After). A page of its own rather than the app's
 * error page: that one renders inside the app's layout, which is what just failed, and would
 * say 500. It loads nothing, so its policy allows nothing but its inline style.
 */
import { translate, type Locale, type MessageKey } from '../../i18n.js';
import type { ApiError } from '../platform/errors.js';
import type { Reply } from './endpoint.js';

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const both = (key: MessageKey) => (['zh', 'en'] as Locale[]).map((locale) => translate(locale, key));

export function unavailablePage(error: ApiError): Reply {
	const [titleZh, titleEn] = both('unavailableTitle');
	const [textZh, textEn] = both('unavailableDatabase');
	const [retryZh, retryEn] = both('unavailableRetry');
	const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${titleZh} · ${titleEn}</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.6}p[lang=en]{color:#666}</style>
</head>
<body>
<h1>${titleZh}</h1>
<p>${textZh}</p>
<p lang="en">${textEn}</p>
<p><a href="">${retryZh}</a> · <a href="" lang="en">${retryEn}</a></p>
</body>
</html>
`;
	return {
		status: error.status,
		headers: {
			...error.headers,
			'Content-Type': 'text/html; charset=utf-8',
			'Cache-Control': 'no-store',
			'Content-Security-Policy': PAGE_CSP
		},
		body: html
	};
}
