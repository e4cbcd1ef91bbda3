/**
 * Our real server for the bench: `src/server/index.ts` (through serve.ts) in its own Node
 * process (tsx as an import hook, so there is one process to stop), on 127.0.0.1 and a free
 * port, against the bench database, with no sample loading.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface BenchServer {
	origin: string;
	pid: number;
	stop(): Promise<void>;
	/** how the server ended when it was not stopped by us ("signal SIGKILL"), else null */
	ended(): string | null;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

/**
 * A private copy of the built app for the bench's server. The working tree's build/ can be
 * rebuilt by anyone (npm start, the e2e set-up) while the bench runs, and a rebuild renames
 * the chunks a running server still loads lazily. Copied again until build/ stood still
 * during the copy.
 */
export function snapshotBuild(target: string, source = 'build'): string {
	const signature = () =>
		fs
			.readdirSync(source, { recursive: true })
			.map(String)
			.sort()
			.map((f) => `${f}:${fs.statSync(path.join(source, f)).mtimeMs}`)
			.join('\n');
	for (let attempt = 0; attempt < 5; attempt++) {
		const before = signature();
		fs.rmSync(target, { recursive: true, force: true });
		fs.cpSync(source, target, { recursive: true });
		if (signature() === before) return target;
	}
	throw new Error(`${source}/ kept changing while it was copied; is a build running?`);
}

export interface ServerOptions {
	/** the built app to serve (BUILD_DIR); default build/ */
	buildDir?: string;
	/** extra environment for the server */
	env?: Record<string, string>;
	/** write a V8 CPU profile of the server into this directory when it stops */
	profileDir?: string;
	/** append the server's stdout and stderr to this file (its errors explain a 500) */
	logFile?: string;
	/** the script to run instead of our server (the bare reference server), and its ready path */
	script?: string;
	readyPath?: string;
}

export async function startServer(databaseUrl: string, opts: ServerOptions = {}): Promise<BenchServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const profile = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : [];
	const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', opts.script ?? 'scripts/bench/serve.ts'], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			DATABASE_URL: databaseUrl,
			PORT: String(port),
			HOST: '127.0.0.1',
			LOAD_SAMPLE: 'false',
			...(opts.buildDir ? { BUILD_DIR: opts.buildDir } : {}),
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const logStream = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : null;
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-4000);
		logStream?.write(chunk);
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	let stopping = false;
	let exit: string | null = null;
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code, signal) => {
			exit = signal ? `signal ${signal}` : `exit code ${code}`;
			if (!stopping) logStream?.write(`\n[bench] the server ended by itself (${exit})\n`);
			logStream?.end();
			resolve(code);
		})
	);

	const stop = async () => {
		stopping = true;
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	};

	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}:\n${output}`);
		try {
			const res = await fetch(`${origin}${opts.readyPath ?? '/api/health'}`);
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`the server did not answer ${opts.readyPath ?? '/api/health'} within 60 s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		origin,
		pid: child.pid!,
		stop,
		ended: () => (stopping ? null : exit)
	};
}
