/**
 * The data version of each tile layer, known without a query. The database keeps them
 * (layer_versions, bumped by a trigger on every statement that writes a layer's table:
 * migration 0340) and announces each bump with NOTIFY; this process LISTENs and re-reads the
 * small table when told. While the listening connection is down the versions are unknown
 * (null), and tiles are neither served from the cache nor answered 304: a stale tile is worse
 * than a slower one.
 *
 * One per process on globalThis: the Node server and the SvelteKit bundle each carry a copy
 * of this module, and both must see the same versions.
 */
import type { Database } from '../platform/db.js';

/** The NOTIFY channel of migration 0340. */
const CHANNEL = 'layer_versions';

export class LayerVersions {
	private versions = new Map<string, number>();
	private live = false;
	private reading: Promise<void> | null = null;
	private readonly changed = new Set<(layer: string, version: number) => void>();

	constructor(private readonly db: Database) {}

	async start(): Promise<void> {
		let connected: Promise<void> = Promise.resolve();
		await this.db.listen(CHANNEL, {
			notify: () => void this.read(),
			live: (up) => {
				// Versions read after the connection is up are current: nothing is missed in between.
				if (up) connected = this.read().then(() => void (this.live = true));
				else this.live = false;
			}
		});
		await connected;
	}

	/** The layer's current version, or null while it cannot be known. */
	current(layer: string): number | null {
		return this.live ? (this.versions.get(layer) ?? null) : null;
	}

	/** Called with (layer, new version) whenever a layer's version moves. */
	onChange(listener: (layer: string, version: number) => void): void {
		this.changed.add(listener);
	}

	/** Re-reads every version; concurrent calls share one query, and a call during it reads again after. */
	private read(): Promise<void> {
		const run = async () => {
			const { rows } = await this.db.knex.raw<{ rows: { layer: string; version: string | number }[] }>('SELECT layer, version FROM layer_versions');
			for (const row of rows) {
				const version = Number(row.version);
				if (this.versions.get(row.layer) === version) continue;
				this.versions.set(row.layer, version);
				for (const listener of this.changed) listener(row.layer, version);
			}
		};
		const next: Promise<void> = (this.reading ?? Promise.resolve())
			.then(run)
			.catch(() => {
				// The database is unreachable: the listener will say so and read again on reconnect.
			})
			.finally(() => {
				if (this.reading === next) this.reading = null;
			});
		this.reading = next;
		return next;
	}
}

const KEY = Symbol.for('wangge.layerVersions');
type Holder = { [KEY]?: Promise<LayerVersions> };

/** The process's layer versions for this database, started on first use. */
export function layerVersions(db: Database): Promise<LayerVersions> {
	const holder = globalThis as Holder;
	holder[KEY] ??= (async () => {
		const versions = new LayerVersions(db);
		await versions.start();
		return versions;
	})().catch((error) => {
		delete holder[KEY];
		throw error;
	});
	return holder[KEY];
}
