/** What every layer module reads: the sizes, the lattice, the census and the roster offsets. */
import type { Layout, Sizes } from './layout.js';
import type { Plan } from './plan.js';
import type { Streams } from './random.js';
import type { Roster } from './people.js';

export interface Context {
	sizes: Sizes;
	layout: Layout;
	plan: Plan;
	streams: Streams;
	roster: Roster;
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');
