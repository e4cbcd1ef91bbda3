/**
 * The HTTP side of the bench through wrk, a load generator written in C: on a 2-core machine
 * the load generator shares the CPU with the server and PostgreSQL, and Node's own HTTP
 * client spent as much CPU per request as our server did, so it measured itself as much as
 * the server. wrk's cost per request is a few microseconds. The raw side stays a `pg` loop
 * in Node (issue 3: "a direct pg loop"), which is what an application calling the SQL itself
 * would spend. Installed from Debian's packages when missing (root); otherwise the bench
 * falls back to the Node client and says so.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall, canApt } from '../lib/apt.js';
import type { HttpOptions } from './runner.js';
import type { Stats } from './runner.js';

const WRK = '/usr/bin/wrk';

/** The wrk binary, installed through apt when missing and possible; null when not available. */
export function ensureWrk(log: (m: string) => void): string | null {
	const onPath = (() => {
		try {
			return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null;
		} catch {
			return null;
		}
	})();
	if (onPath) return onPath;
	if (!canApt()) return null;
	log('wrk not found: installing Debian package wrk (the HTTP load generator)');
	try {
		aptInstall(['wrk'], log);
	} catch {
		return null;
	}
	return fs.existsSync(WRK) ? WRK : null;
}

/** Lua for wrk: requests the paths round-robin with the headers, and prints the stats as JSON. */
function script(paths: string[], headers: Record<string, string>): string {
	const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string for these
	return `
local paths = { ${paths.map(lua).join(', ')} }
local headers = { ${Object.entries(headers)
		.map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
		.join(', ')} }
local counter = 0
local thread_count = 0
function setup(thread)
	thread:set("offset", thread_count * 7919)
	thread_count = thread_count + 1
end
function init(args)
	counter = tonumber(offset) or 0
end
function request()
	counter = counter + 1
	return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"status_errors":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f}\\n',
		summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,
		latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
`;
}

function wrkOnce(bin: string, scriptFile: string, origin: string, concurrency: number, seconds: number): Promise<Stats> {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, ['-t1', `-c${concurrency}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '10s', '-s', scriptFile, origin], {
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) => {
			const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
			if (code !== 0 || !line) return reject(new Error(`wrk failed (exit ${code}):\n${out.slice(-2000)}`));
			const r = JSON.parse(line.slice('WRK_JSON '.length));
			const secondsRun = r.duration_us / 1e6;
			// wrk counts non-2xx/3xx answers as completed requests; they are errors here.
			const ok = r.requests - r.status_errors;
			resolve({
				requests: ok,
				errors: r.errors + r.status_errors,
				seconds: secondsRun,
				rps: ok / secondsRun,
				p50: r.p50,
				p95: r.p95,
				p99: r.p99,
				bytes: r.bytes
			});
		});
	});
}

/** The same measurement as runHttp (warm-up, then a measured run), with wrk generating the load. */
export async function runWrk(bin: string, paths: string[], opts: HttpOptions): Promise<Stats & { statuses: Record<number, number> }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-wrk-'));
	const file = path.join(dir, 'paths.lua');
	fs.writeFileSync(file, script(paths, { ...opts.headers, 'accept-encoding': opts.encoding, 'cache-control': 'no-cache' }));
	try {
		if (opts.warmup > 0) await wrkOnce(bin, file, opts.origin, opts.concurrency, opts.warmup);
		opts.onMeasure?.('start');
		const stats = await wrkOnce(bin, file, opts.origin, opts.concurrency, opts.seconds);
		opts.onMeasure?.('end');
		return { ...stats, statuses: {} };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
