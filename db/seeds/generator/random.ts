/**
 * Deterministic randomness for the sample generator.
 *
 * Every record draws from its own small stream, keyed by (seed, label, index), instead of
 * one long global sequence: that is what lets any layer regenerate just the part of another
 * layer it needs (an issue re-deriving its cell's buildings) and what keeps the output
 * identical however the layers are consumed.
 */

/** Murmur3's finaliser: a cheap, well-mixing bijection on 32-bit integers. */
export function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised so that similar strings land far apart. */
export function hashString(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return fmix32(h);
}

/** Folds integers into one 32-bit key; order matters, so (a, b) and (b, a) differ. */
export function combine(...parts: number[]): number {
	let h = 0x9e3779b9;
	for (const part of parts) {
		// Indices can pass 2^32 only in theory; keep both halves so they still differ.
		const low = part >>> 0;
		const high = Math.floor(part / 4294967296) >>> 0;
		h = fmix32((h ^ low) + Math.imul(high, 0x27d4eb2f) + 0x632be5ab);
	}
	return h;
}

/** A small-fast-counter (sfc32) generator: 128 bits of state, good statistical quality. */
export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	constructor(key: number) {
		this.a = key >>> 0;
		this.b = fmix32(key ^ 0x3c6ef372);
		this.c = fmix32(key + 0x7f4a7c15);
		this.d = 1;
		// The first outputs of a freshly keyed sfc32 still correlate with the key.
		for (let i = 0; i < 12; i++) this.next32();
	}

	next32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.next32() / 4294967296;
	}

	/** Uniform integer in [lo, hi], both ends included. */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	/** Uniform real in [lo, hi). */
	range(lo: number, hi: number): number {
		return lo + this.next() * (hi - lo);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Index drawn with probability proportional to its weight. */
	weighted(weights: readonly number[]): number {
		let total = 0;
		for (const w of weights) total += w;
		let x = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			x -= weights[i];
			if (x < 0) return i;
		}
		return weights.length - 1;
	}

	/** Picks from a table of [value, weight] pairs. */
	choose<T>(table: readonly (readonly [T, number])[]): T {
		return table[this.weighted(table.map((entry) => entry[1]))][0];
	}

	/** Fisher–Yates shuffle in place; returns the same array. */
	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			const tmp = items[i];
			items[i] = items[j];
			items[j] = tmp;
		}
		return items;
	}
}

/** Per-purpose stream factory bound to one seed. */
export class Streams {
	readonly root: number;
	private readonly labels = new Map<string, number>();

	constructor(seed: string) {
		this.root = hashString(seed);
	}

	private label(name: string): number {
		let h = this.labels.get(name);
		if (h === undefined) {
			h = combine(this.root, hashString(name));
			this.labels.set(name, h);
		}
		return h;
	}

	/** The stream of one thing, e.g. rng('cell', 12) or rng('issue', 40411). */
	rng(name: string, index = 0): Rng {
		return new Rng(combine(this.label(name), index));
	}

	/** A 32-bit key for something that is not a stream (a permutation, a phone scramble). */
	key(name: string, index = 0): number {
		return combine(this.label(name), index, 0x5bd1e995);
	}
}

/**
 * A keyed pseudo-random bijection of [0, size): a 4-round Feistel network on the smallest
 * even bit width that covers size, with cycle walking to stay inside the range. Used to
 * choose exactly K of N things (those mapped below K) without holding N flags in memory.
 */
export class Permutation {
	private readonly halfBits: number;
	private readonly mask: number;
	private readonly keys: number[];
	/** pinned input → output, and the inverse, to force a few chosen outputs (see constructor) */
	private readonly pinned = new Map<number, number>();
	private readonly pinnedBySlot = new Map<number, number>();

	/**
	 * pins: input → output pairs that must hold (e.g. the seed's named compound gets rank 0).
	 * Other inputs that the plain permutation would send to a pinned output follow the chain
	 * of displaced outputs instead, which keeps the mapping a bijection.
	 */
	constructor(
		readonly size: number,
		key: number,
		pins: ReadonlyArray<readonly [number, number]> = []
	) {
		if (!(size >= 1)) throw new Error(`Permutation: size must be ≥ 1, got ${size}`);
		let bits = 2;
		while (2 ** bits < size) bits += 2;
		this.halfBits = bits / 2;
		this.mask = 2 ** this.halfBits - 1;
		this.keys = [0, 1, 2, 3].map((r) => fmix32(key + Math.imul(r + 1, 0x9e3779b9)));
		for (const [input, output] of pins) {
			if (input >= size || output >= size) throw new Error('Permutation: pin out of range');
			if (this.pinned.has(input) || this.pinnedBySlot.has(output))
				throw new Error('Permutation: conflicting pins');
			this.pinned.set(input, output);
			this.pinnedBySlot.set(output, input);
		}
	}

	private encrypt(x: number): number {
		let left = Math.floor(x / (this.mask + 1));
		let right = x & this.mask;
		for (const k of this.keys) {
			const next = left ^ (fmix32(right ^ k) & this.mask);
			left = right;
			right = next;
		}
		return left * (this.mask + 1) + right;
	}

	private plain(i: number): number {
		let y = this.encrypt(i);
		while (y >= this.size) y = this.encrypt(y);
		return y;
	}

	at(i: number): number {
		const forced = this.pinned.get(i);
		if (forced !== undefined) return forced;
		let y = this.plain(i);
		for (;;) {
			const displaced = this.pinnedBySlot.get(y);
			if (displaced === undefined) return y;
			y = this.plain(displaced);
		}
	}
}

/**
 * Splits an integer total over slots in proportion to weights, exactly: slot i gets
 * round(total·W_{i+1}/W) − round(total·W_i/W) where W_i are prefix sums. Returns the counts.
 */
export function apportion(total: number, weights: ArrayLike<number>): Int32Array {
	const n = weights.length;
	const counts = new Int32Array(n);
	let sum = 0;
	for (let i = 0; i < n; i++) sum += weights[i];
	if (n === 0) return counts;
	if (!(sum > 0)) throw new Error('apportion: weights must have a positive sum');
	let acc = 0;
	let previous = 0;
	for (let i = 0; i < n; i++) {
		acc += weights[i];
		const boundary = i === n - 1 ? total : Math.round((total * acc) / sum);
		counts[i] = boundary - previous;
		previous = boundary;
	}
	return counts;
}

/** Raises counts[slot] to at least min by taking from the largest other slots; the total is kept. */
export function ensureAtLeast(counts: Int32Array, slot: number, min: number): void {
	while (counts[slot] < min) {
		let donor = -1;
		for (let i = 0; i < counts.length; i++) {
			if (i !== slot && (donor < 0 || counts[i] > counts[donor])) donor = i;
		}
		if (donor < 0 || counts[donor] <= min) throw new Error('ensureAtLeast: nothing left to move');
		counts[donor]--;
		counts[slot]++;
	}
}

/** Exclusive prefix sums: starts[i] = counts[0] + … + counts[i-1]; starts[n] is the total. */
export function prefixSums(counts: ArrayLike<number>): Float64Array {
	const starts = new Float64Array(counts.length + 1);
	for (let i = 0; i < counts.length; i++) starts[i + 1] = starts[i] + counts[i];
	return starts;
}
