/**
 * Where the CPU went during a measurement (Linux /proc; elsewhere nothing is reported):
 * our server process, this bench process (the load generator), PostgreSQL's processes, and
 * the rest of the machine. Per request, it shows whether a low ratio comes from the
 * server's own work or from the database; a large rest means something else was running
 * and the figures are not to be trusted.
 */
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux this runs on

export interface CpuSample {
	total: number;
	server: number;
	self: number;
	/** per backend of the bench database */
	postgres: Map<string, number>;
}

function machineBusyMs(): number {
	const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
	// cpu user nice system idle iowait irq softirq steal …: busy is all but idle and iowait
	const f = line.trim().split(/\s+/).slice(1).map(Number);
	return (f.reduce((a, b) => a + b, 0) - f[3] - (f[4] ?? 0)) * TICK_MS;
}

function processMs(pid: number | string): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// fields after the ")" closing the command name: utime is the 12th, stime the 13th
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

/**
 * CPU per PostgreSQL backend serving `database`, told by its process title
 * ("postgres: [cluster: ]user database host(port) state"). Other databases' backends (other test runs
 * on the same server) are not ours; parallel workers, which live for one query, are missed.
 */
function backendsMs(database: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid)) continue;
		try {
			const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			// "postgres: [cluster: ]user database host(port) state"
			const m = /^postgres: (?:\S+: )?\S+ (\S+) /.exec(title);
			if (m && m[1] === database) out.set(pid, processMs(pid));
		} catch {
			// gone meanwhile
		}
	}
	return out;
}

/** CPU of this process's children that have ended (wrk runs as one per measurement). */
function childrenMs(): number {
	const stat = fs.readFileSync('/proc/self/stat', 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[13]) + Number(f[14])) * TICK_MS;
}

export function sampleCpu(serverPid: number | null, database: string): CpuSample | null {
	try {
		const { user, system } = process.cpuUsage();
		return {
			total: machineBusyMs(),
			server: serverPid ? processMs(serverPid) : 0,
			// the load generator: this process, and wrk once it has exited
			self: (user + system) / 1000 + childrenMs(),
			postgres: backendsMs(database)
		};
	} catch {
		return null;
	}
}

export interface CpuPerRequest {
	server: number;
	client: number;
	database: number;
	/** the rest of the machine: near 0 on a quiet one */
	other: number;
}

/** CPU ms per request between two samples. */
export function perRequest(a: CpuSample | null, b: CpuSample | null, requests: number): CpuPerRequest | null {
	if (!a || !b || requests <= 0) return null;
	const server = b.server - a.server;
	const client = b.self - a.self;
	// A backend that started in between counts whole; one that ended in between is lost.
	let database = 0;
	for (const [pid, ms] of b.postgres) database += ms - (a.postgres.get(pid) ?? 0);
	const other = Math.max(0, b.total - a.total - server - client - database);
	return { server: server / requests, client: client / requests, database: database / requests, other: other / requests };
}
