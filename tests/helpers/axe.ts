/**
 * Accessibility check of a page with axe-core (Deque's rules engine, from npm) in the real
 * Chromium: WCAG 2.1 A and AA rules, reporting the violations of serious or critical impact
 * (issue 21). The engine is injected into the page as a script; nothing is fetched.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
	rule: string;
	impact: string;
	help: string;
	/** CSS selectors of the offending nodes, with axe's summary of what to fix for the first few */
	nodes: string[];
}

/** The serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
	await page.addScriptTag({ content: AXE_SOURCE });
	const violations = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
		const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
		return result.violations.map((v) => ({
			rule: v.id,
			impact: v.impact ?? 'unknown',
			help: v.help,
			nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`)
		}));
	});
	return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
