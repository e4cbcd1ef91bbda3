/**
 * What every journey checks on every page it walks (issue 21): no console error, headings in
 * order, and text that reads at WCAG AA contrast.
 */
import type { Page } from 'playwright-core';

/** Collects console errors and uncaught page errors from now on. */
export function watchErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
	return errors;
}

/**
 * Heading levels that skip one (h1 then h3) or do not start at h1, as "h1 → h3 «text»";
 * empty when the outline is in order. Hidden headings do not count.
 */
export async function headingSkips(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const visible = (e: Element) => {
			const r = e.getBoundingClientRect();
			return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
		};
		const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
		const out: string[] = [];
		let previous = 0;
		for (const h of hs) {
			const level = Number(h.tagName[1]);
			if (level > previous + 1) out.push(`h${previous} → h${level} «${h.textContent?.trim().slice(0, 30)}»`);
			previous = level;
		}
		return out;
	});
}

/**
 * Visible text whose contrast with what lies behind it is under WCAG AA (4.5:1, or 3:1 for
 * large text), each as "colour on background ratio «text»". The background is the nearest
 * opaque one up the tree, with translucent ones blended over it; disabled controls are exempt,
 * as WCAG makes them.
 */
export async function lowContrastTexts(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		type Rgba = { r: number; g: number; b: number; a: number };
		const parse = (c: string): Rgba => {
			const n = (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number);
			return { r: n[0], g: n[1], b: n[2], a: n.length > 3 ? n[3] : 1 };
		};
		const over = (top: Rgba, base: Rgba): Rgba => ({
			r: top.r * top.a + base.r * (1 - top.a),
			g: top.g * top.a + base.g * (1 - top.a),
			b: top.b * top.a + base.b * (1 - top.a),
			a: 1
		});
		const luminance = (c: Rgba) => {
			const f = (v: number) => {
				const s = v / 255;
				return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
			};
			return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
		};
		const background = (el: Element): Rgba => {
			const layers: Rgba[] = [];
			for (let e: Element | null = el; e; e = e.parentElement) {
				const c = parse(getComputedStyle(e).backgroundColor);
				if (c.a > 0) layers.push(c);
				if (c.a >= 1) break;
			}
			let base: Rgba = { r: 255, g: 255, b: 255, a: 1 };
			for (const c of layers.reverse()) base = over(c, base);
			return base;
		};
		const hex = (c: Rgba) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
		const out: string[] = [];
		for (const el of document.body.querySelectorAll('*')) {
			const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
			if (!text) continue;
			const style = getComputedStyle(el);
			const rect = el.getBoundingClientRect();
			if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
			if (el.closest('[aria-hidden="true"], :disabled, option, script, style, noscript')) continue;
			const bg = background(el);
			const fg = over(parse(style.color), bg);
			const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
			const ratio = (hi + 0.05) / (lo + 0.05);
			const size = parseFloat(style.fontSize);
			const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
			if (ratio < (large ? 3 : 4.5)) out.push(`${hex(fg)} on ${hex(bg)} ${ratio.toFixed(2)} «${text.slice(0, 30)}»`);
		}
		return out;
	});
}
