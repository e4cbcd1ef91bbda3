/**
 * Rendered tiles, kept gzip-compressed by layer, data version, territory and z/x/y: in memory
 * within a byte budget (TILE_CACHE_MB, default 64; least recently used goes first), and, when
 * TILE_CACHE_DIR is set, on disk too, so a restart starts warm. The key holds the layer's data
 * version, so a write makes exactly that layer's entries unreachable; they age out of memory,
 * and old versions' folders are removed from disk. The territory is part of the key: a tile
 * cached for one caller never reaches a caller of another territory.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TileKey {
	layer: string;
	version: number;
	/** 'public' for outline layers, else the caller's scope key (territory.ts) */
	territory: string;
	z: number;
	x: number;
	y: number;
}

/** Bytes an entry costs beyond its tile: the key, the map slot. */
const ENTRY_OVERHEAD = 128;

export class TileCache {
	private entries = new Map<string, Uint8Array>();
	private bytes = 0;
	private warnedDisk = false;
	/** disk writes under way, so a caller can wait for them (a test, a shutdown) */
	private writing = new Set<Promise<void>>();

	constructor(
		readonly budgetBytes: number,
		readonly dir: string | null
	) {}

	/** The cached tile (gzip bytes; empty for a tile without features), or undefined. */
	async get(key: TileKey): Promise<Uint8Array | undefined> {
		const id = idOf(key);
		const hit = this.entries.get(id);
		if (hit) {
			// Most recently used goes to the end of the map's order.
			this.entries.delete(id);
			this.entries.set(id, hit);
			return hit;
		}
		if (!this.dir) return undefined;
		try {
			const bytes = new Uint8Array(await fs.promises.readFile(this.fileOf(id)));
			this.remember(id, bytes);
			return bytes;
		} catch {
			return undefined;
		}
	}

	set(key: TileKey, bytes: Uint8Array): void {
		const id = idOf(key);
		this.remember(id, bytes);
		if (this.dir) {
			const write = this.writeFile(id, bytes).finally(() => this.writing.delete(write));
			this.writing.add(write);
		}
	}

	/** Resolves once every disk write started so far has finished. */
	async written(): Promise<void> {
		await Promise.all([...this.writing]);
	}

	/** Drops a layer's tiles of every version but `keep` from disk (memory ages them out). */
	async prune(layer: string, keep: number): Promise<void> {
		if (!this.dir) return;
		const folder = path.join(this.dir, layer);
		const versions = await fs.promises.readdir(folder).catch(() => [] as string[]);
		await Promise.all(versions.filter((v) => v !== `v${keep}`).map((v) => fs.promises.rm(path.join(folder, v), { recursive: true, force: true })));
	}

	get size(): { entries: number; bytes: number } {
		return { entries: this.entries.size, bytes: this.bytes };
	}

	private remember(id: string, bytes: Uint8Array): void {
		const cost = bytes.byteLength + ENTRY_OVERHEAD;
		if (cost > this.budgetBytes) return;
		const old = this.entries.get(id);
		if (old) {
			this.bytes -= old.byteLength + ENTRY_OVERHEAD;
			this.entries.delete(id);
		}
		this.entries.set(id, bytes);
		this.bytes += cost;
		for (const [oldest, value] of this.entries) {
			if (this.bytes <= this.budgetBytes) break;
			this.entries.delete(oldest);
			this.bytes -= value.byteLength + ENTRY_OVERHEAD;
		}
	}

	private fileOf(id: string): string {
		return path.join(this.dir!, `${id}.mvt.gz`);
	}

	/** Written to a temporary name and renamed, so a reader never sees half a tile. */
	private async writeFile(id: string, bytes: Uint8Array): Promise<void> {
		const file = this.fileOf(id);
		const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
		try {
			await fs.promises.mkdir(path.dirname(file), { recursive: true });
			await fs.promises.writeFile(temporary, bytes);
			await fs.promises.rename(temporary, file);
		} catch (error) {
			await fs.promises.rm(temporary, { force: true }).catch(() => {});
			if (!this.warnedDisk) {
				this.warnedDisk = true;
				console.error(`tile cache: cannot write to ${this.dir}: ${(error as Error).message}`);
			}
		}
	}
}

/** `layer/v{version}/{territory}/{z}/{x}/{y}`: a path under TILE_CACHE_DIR, and the memory key. */
function idOf(k: TileKey): string {
	return `${k.layer}/v${k.version}/${k.territory}/${k.z}/${k.x}/${k.y}`;
}

/** TILE_CACHE_MB as bytes: a non-negative number, else the default 64 MB. */
export function budgetFromEnv(env: NodeJS.ProcessEnv = process.env): number {
	const mb = Number(env.TILE_CACHE_MB ?? 64);
	return Math.floor((Number.isFinite(mb) && mb >= 0 ? mb : 64) * 1024 * 1024);
}

const KEY = Symbol.for('wangge.tileCache');
type Holder = { [KEY]?: TileCache };

/** The process's tile cache (one for both copies of this module: see layer-versions.ts). */
export function tileCache(): TileCache {
	const holder = globalThis as Holder;
	holder[KEY] ??= new TileCache(budgetFromEnv(), process.env.TILE_CACHE_DIR ? path.resolve(process.env.TILE_CACHE_DIR) : null);
	return holder[KEY];
}
