/**
 * Finds the Chromium the end-to-end tests drive, and on Debian/Ubuntu as root installs the
 * distribution's package when there is none. Never downloads a browser build of its own
 * (`npx playwright install`): offline machines and CI reach only the package registries.
 * Also makes sure a CJK font is there, or every Chinese label in a screenshot is a box.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { aptInstall, canApt, sh } from './apt.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const CJK_FONT_PACKAGE = 'fonts-noto-cjk';


function found(): string | undefined {
	return CANDIDATES.find((p) => fs.existsSync(p));
}

/** True when fontconfig knows a font that covers Chinese; false when it cannot tell or none. */
function hasCjkFont(): boolean {
	try {
		return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim().length > 0;
	} catch {
		return false;
	}
}

/**
 * Returns the path of a Chromium executable. On Debian/Ubuntu as root it installs `chromium`
 * (and `fonts-noto-cjk`) when missing; elsewhere it throws an error naming what to install.
 */
export async function ensureChromium(log: (m: string) => void = console.log): Promise<string> {
	const present = found();
	// The font is wanted either way; without root a missing font only spoils screenshots.
	if (!hasCjkFont() && canApt()) {
		log('No CJK font found: installing fonts-noto-cjk so Chinese labels render');
		aptInstall([CJK_FONT_PACKAGE], log);
	}
	if (present) return present;
	if (!canApt()) {
		throw new Error(
			'No Chromium for the end-to-end tests (looked for ' +
				CANDIDATES.join(', ') +
				').\nInstall the distribution package (Debian/Ubuntu: apt install chromium fonts-noto-cjk).'
		);
	}
	log('No Chromium found: installing chromium from Debian packages');
	aptInstall(['chromium', CJK_FONT_PACKAGE], log);
	const installed = found();
	if (!installed) throw new Error('installing the chromium package gave no /usr/bin/chromium');
	return installed;
}
