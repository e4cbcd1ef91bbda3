/** Installing Debian packages as root, for the provisioning scripts of `npm test`. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Whether this machine can install Debian packages: Linux, root, apt-get present. */
export const canApt = () => process.platform === 'linux' && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');

export function sh(command: string, args: string[], log: (m: string) => void) {
	log(`$ ${command} ${args.join(' ')}`);
	execFileSync(command, args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
}

let aptUpdated = false;
/** apt-get install, after one apt-get update per process (the lists may be stale or empty). */
export function aptInstall(packages: string[], log: (m: string) => void) {
	if (!aptUpdated) {
		sh('apt-get', ['update', '-qq'], log);
		aptUpdated = true;
	}
	sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], log);
}
