/** The project's source files by kind, for tests that read code as text. */
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every file under `dir` (relative to the project), paths relative to the project. */
export function filesUnder(dir: string): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
			const child = path.posix.join(rel, entry.name);
			if (entry.isDirectory()) walk(child);
			else out.push(child);
		}
	};
	walk(dir);
	return out.sort();
}

/** What runs in the browser: src/lib/client, src/lib/components, and the routes' .svelte, +page.ts and +layout.ts files. */
export function browserFiles(): string[] {
	return [...filesUnder('src/lib/client'), ...filesUnder('src/lib/components'), ...filesUnder('src/routes')].filter(
		(f) => f.endsWith('.svelte') || (/\.ts$/.test(f) && !f.startsWith('src/routes/')) || /\/\+(page|layout)\.ts$/.test(f)
	);
}

export const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
