/**
 * Starts the real server (src/server/index.ts) on a free port for a test, and stops it. One
 * node process running the server as the end-to-end set-up compiled it (server-bundle.ts):
 * no tsx in between, whose CLI would also run the script in a child process that a SIGKILL of
 * the parent would leave running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { inject } from 'vitest';
import type { BuildResult } from './e2e-global-setup.js';

export interface RunningServer {
	url: string;
	output: () => string;
	stop(): Promise<void>;
	/** SIGKILL: no shutdown of any kind (fault tests) */
	kill(): void;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/** Waits for the app's build, which the end-to-end set-up runs while the first tests start; returns the compiled server. */
async function appBuilt(timeoutMs = 300_000): Promise<string> {
	const marker = inject('appBuild');
	const deadline = Date.now() + timeoutMs;
	while (!fs.existsSync(marker)) {
		if (Date.now() > deadline) throw new Error(`the app's build did not finish within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 200));
	}
	const result = JSON.parse(fs.readFileSync(marker, 'utf8')) as BuildResult;
	if (!result.ok) throw new Error(result.message);
	return result.server;
}

/**
 * The app on a port the system chooses (PORT=0), read from the line it prints once listening.
 * A port picked beforehand and handed over can be taken by another test file's server in
 * between; that server then answered this file's requests (a sign-in refused with 429 because
 * another file's test had made demo-planner wait).
 */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<RunningServer> {
	const args = [await appBuilt()];
	return startProcess(args, { ...process.env, DATABASE_URL: undefined, ...env, PORT: '0', HOST: '127.0.0.1' }, /listening on http:\/\/localhost:(\d+)/, timeoutMs);
}

/**
 * `npm run dev` (vite's dev server with SvelteKit); it needs no build. Vite is given a free
 * port with --strictPort, and only the line it prints after binding it says the port is its
 * own (were it taken meanwhile, vite would exit instead of printing it).
 */
export async function startDevServer(env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<RunningServer> {
	const port = await freePort();
	const args = ['node_modules/vite/bin/vite.js', 'dev', '--port', String(port), '--strictPort', '--host', '127.0.0.1'];
	return startProcess(args, { ...process.env, DATABASE_URL: undefined, ...env }, new RegExp(`Local:\\s+http://127\\.0\\.0\\.1:(${port})/`), timeoutMs);
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Runs `node args`, waits for the line saying which port it bound, then until it answers /api/health there. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, listening: RegExp, timeoutMs: number): Promise<RunningServer> {
	const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const deadline = Date.now() + timeoutMs;
	let port: string | undefined;
	while (!(port = listening.exec(log.replace(ANSI, ''))?.[1])) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not say it was listening within ${timeoutMs} ms:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	const url = `http://127.0.0.1:${port}`;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
		try {
			const res = await fetch(`${url}/api/health`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not answer within ${timeoutMs} ms:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	let stopping = false;
	// A server that dies under a running test says why, instead of leaving only refused connections.
	child.once('exit', (code, signal) => {
		if (!stopping) console.error(`server on ${url} exited (${signal ?? code}) while tests ran:\n${log}`);
	});
	return {
		url,
		output: () => log,
		kill: () => void child.kill('SIGKILL'),
		stop: () =>
			new Promise<void>((resolve) => {
				stopping = true;
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}
