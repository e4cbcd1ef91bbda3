/**
 * The HTML face of /ogc (Part 1's HTML conformance class): plain, readable pages a person can
 * follow link by link in a browser, Chinese first with the English beside it. No script, no
 * outside font or style: the page's own policy allows inline styles only (ogc.ts).
 */
import { escapeXml as esc } from '../platform/errors.js';
import type { OgcCollection } from './ogc-collections.js';

interface Link {
	href: string;
	rel: string;
	type?: string;
	title?: string;
}

const STYLE = `body{font:15px/1.5 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.5rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f1f3f5}
a{color:#0b57d0}nav a{margin-right:1rem}code{background:#f1f3f5;padding:0 .2rem}.muted{color:#555}`;

function page(title: string, body: string): string {
	return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><nav><a href="/ogc?f=html">OGC API 首页 / Home</a><a href="/ogc/collections?f=html">图层 / Collections</a><a href="/">地图 / Map</a></nav><h1>${esc(title)}</h1>${body}</body></html>`;
}

function linkList(links: Link[]): string {
	return `<ul>${links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.title ?? l.href)}</a> <span class="muted">${esc(l.rel)}${l.type ? `, ${esc(l.type)}` : ''}</span></li>`).join('')}</ul>`;
}

export function landing(document: { title: string; description: string; links: Link[] }): string {
	return page(document.title, `<p>${esc(document.description)}</p>${linkList(document.links)}`);
}

export function conformance(classes: string[]): string {
	return page('符合的标准 / Conformance', `<ul>${classes.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>`);
}

export function api(document: { paths: Record<string, Record<string, { summary?: string }>> } & Record<string, unknown>): string {
	const rows = Object.entries(document.paths)
		.flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => `<tr><td>${esc(method.toUpperCase())}</td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? '')}</td></tr>`))
		.join('');
	return page(
		'接口说明 / API',
		`<p>OpenAPI 3.0 文档 / document: <a href="/ogc/api?f=json">/ogc/api?f=json</a></p><table><tr><th>方法 / Method</th><th>路径 / Path</th><th>说明 / Summary</th></tr>${rows}</table>`
	);
}

/** A collection's description as ogc.ts writes it. */
export type Described = { id: string; title: string; description: string; links: Link[]; extent?: { spatial?: { bbox?: number[][]; crs?: string } } } & Record<string, unknown>;

export function collections(document: { collections: Described[] }): string {
	const rows = document.collections
		.map(
			(c) =>
				`<tr><td><a href="/ogc/collections/${esc(c.id)}?f=html">${esc(c.title)}</a></td><td><code>${esc(c.id)}</code></td><td>${esc(c.description)}</td><td><a href="/ogc/collections/${esc(c.id)}/items?f=html">要素 / Items</a></td></tr>`
		)
		.join('');
	return page('图层 / Collections', `<table><tr><th>图层 / Collection</th><th>id</th><th>说明 / Description</th><th></th></tr>${rows}</table>`);
}

export function collection(c: Described): string {
	const bbox = c.extent?.spatial?.bbox?.[0];
	return page(
		c.title,
		`<p>${esc(c.description)}</p>${bbox ? `<p>范围 / Extent (CRS84): <code>${bbox.map(String).map(esc).join(', ')}</code></p>` : ''}${linkList(c.links)}`
	);
}

export function queryables(c: OgcCollection, properties: Record<string, Record<string, unknown>>): string {
	const rows = Object.entries(properties)
		.map(([name, p]) => `<tr><td><code>${esc(name)}</code></td><td>${esc(String(p.title ?? ''))}</td><td>${esc(String(p.format ?? p.type ?? ''))}</td><td>${esc(Array.isArray(p.enum) ? p.enum.join(', ') : '')}</td></tr>`)
		.join('');
	return page(
		`${c.title}：可查询属性 / Queryables`,
		`<p>用于属性过滤（<code>?status=…</code>）和 CQL2 过滤（<code>filter=…</code>）。 / For property filters and CQL2 filters.</p><table><tr><th>属性 / Property</th><th>名称 / Title</th><th>类型 / Type</th><th>取值 / Values</th></tr>${rows}</table>`
	);
}

type Feature = { id?: unknown; properties?: Record<string, unknown> | null; geometry?: { type?: string } | null };

function cell(value: unknown): string {
	return value === null || value === undefined ? '<span class="muted">—</span>' : esc(String(value));
}

export function items(c: OgcCollection, features: Feature[], links: Link[]): string {
	const names = Object.keys(c.properties);
	const rows = features
		.map(
			(f) =>
				`<tr><td><a href="/ogc/collections/${esc(c.id)}/items/${esc(encodeURIComponent(String(f.id)))}?f=html">${cell(f.id)}</a></td>${names.map((n) => `<td>${cell(f.properties?.[n])}</td>`).join('')}<td>${cell(f.geometry?.type)}</td></tr>`
		)
		.join('');
	const paging = links.filter((l) => l.rel === 'next' || l.rel === 'prev');
	return page(
		`${c.title}：要素 / Items`,
		`<p>本页 ${features.length} 个要素 / ${features.length} features on this page. ${paging.map((l) => `<a href="${esc(l.href)}">${esc(l.title ?? l.rel)}</a>`).join(' ')}</p>
		<table><tr><th>id</th>${names.map((n) => `<th>${esc(c.properties[n].title)}</th>`).join('')}<th>几何 / Geometry</th></tr>${rows}</table>${linkList(links)}`
	);
}

export function item(c: OgcCollection, feature: Feature & { links?: Link[] }): string {
	const rows = Object.entries(c.properties)
		.map(([name, p]) => `<tr><th>${esc(p.title)}</th><td>${cell(feature.properties?.[name])}</td></tr>`)
		.join('');
	return page(`${c.title}：${String(feature.id)}`, `<table>${rows}<tr><th>几何 / Geometry</th><td>${cell(feature.geometry?.type)}</td></tr></table>${linkList(feature.links ?? [])}`);
}
