/** What every layer module reads: the sizes, the lattice, the census and the roster offsets. */
import type { Layout, Sizes } from './layout.js';
import type { Plan } from './plan.js';
import type { Streams } from './random.js';

export interface Context {
	sizes: Sizes;
	layout: Layout;
	plan: Plan;
	streams: Streams;
	roster: Roster;
}

/** Who holds which post, as numbers: built by people.ts, read by every layer that names a person. */
export interface Roster {
	/** first person number of each role section; `total` is the number of people */
	offsets: {
		streetSecretary: number;
		firstSecretary: number;
		communitySecretary: number;
		gridWorker: number;
		formerGridWorker: number;
		branchSecretary: number;
		buildingHead: number;
		partyGroupLeader: number;
		registeredMember: number;
		total: number;
	};
	/** per community: its liaison departments, the lead unit first */
	liaisons: number[][];
	/** the grid worker on duty in grid g on a given day */
	gridWorker(g: number, day: number): string;
	streetSecretary(s: number): string;
	firstSecretary(c: number): string;
	communitySecretary(c: number): string;
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');
