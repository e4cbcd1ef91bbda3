/**
 * The field worker's phone (issue 13): their buildings, their territory's outline, where the
 * phone is, and the building card. One instance per page; requests go through `LatestRequest`
 * so a slower older answer never overwrites a newer one.
 *
 * Where `/api/me/offline` or `/api/me/buildings/{code}` cannot answer (an older server: 404):
 * the outline is then built from the public grid outlines (/api/layers/grids) of the grids the
 * buildings lie in (a building head's buildings: a 25 m ring round each), and the card from
 * the list's row.
 */
import { bbox as turfBbox, buffer, featureCollection, point, union } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { ApiError, LatestRequest, errorMessage } from './api';
import { rankBuildings, type FieldBuilding, type Head, type RankedBuilding } from './field-order';
import type { Bbox } from '$lib/server/types';

export interface CardCase {
	code: string;
	title: string | null;
	status: string;
	due_at: string | null;
	overdue: boolean;
}

export interface CardVisit {
	code: string;
	visited_at: string;
	situation: 'normal' | 'attention' | 'reported';
	note: string | null;
}

/** GET /api/me/buildings/{code} */
export interface BuildingCard {
	code: string;
	name: string | null;
	address: string | null;
	floors: number | null;
	households: number;
	grid_code: string | null;
	grid_name: string | null;
	heads: Head[];
	/** the grid's grid workers and the building's registered party members: with the heads, the 两长两员 (absent from an older server) */
	grid_workers?: { name: string; phone: string | null }[];
	party_members?: { name: string }[];
	open_cases: CardCase[];
	last_visits: CardVisit[];
	rain_check_due: boolean;
	rain_alert_id: number | null;
	lng: number;
	lat: number;
	/** built from the list's row: open cases are a count only, visits unknown */
	partial?: boolean;
	open_issues?: number;
	last_visit_at?: string | null;
}

export interface Territory {
	/** the worker's territory as one (multi)polygon */
	outline: Polygon | MultiPolygon | null;
	grids: { code: string; name: string; geometry: Geometry }[];
}

type AreaFeature = Feature<Polygon | MultiPolygon, { code: string; name: string }>;

/** How far round each of a building head's buildings the fallback outline reaches, metres. */
const HEAD_RING_M = 25;

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T | null> {
	const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
	if (res.status === 404) return null;
	if (!res.ok) throw await ApiError.from(res);
	return (await res.json()) as T;
}

export class FieldState {
	buildings = $state.raw<FieldBuilding[]>([]);
	territory = $state.raw<Territory | null>(null);
	status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
	error = $state('');
	/** [lng, lat] of the phone, or of a point the worker chose */
	position = $state.raw<[number, number] | null>(null);
	positionStatus = $state<'off' | 'locating' | 'located' | 'failed' | 'manual'>('off');
	card = $state.raw<BuildingCard | null>(null);
	cardStatus = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');

	/** not visited this month first, nearest first */
	ranked: RankedBuilding[] = $derived(rankBuildings(this.buildings, this.position));

	#cardRequest = new LatestRequest();
	#watchId: number | null = null;

	async load(): Promise<void> {
		this.status = 'loading';
		try {
			const answer = await getJson<{ buildings: FieldBuilding[] }>('/api/me/buildings');
			this.buildings = answer?.buildings ?? [];
			this.territory = await this.#territory(this.buildings);
			this.status = 'ready';
		} catch (error) {
			this.status = 'error';
			this.error = errorMessage(error);
		}
	}

	/** The buildings again (after a visit): their states change, the outline does not. */
	async reloadBuildings(): Promise<void> {
		const answer = await getJson<{ buildings: FieldBuilding[] }>('/api/me/buildings').catch(() => null);
		if (answer) this.buildings = answer.buildings;
	}

	async #territory(buildings: FieldBuilding[]): Promise<Territory> {
		const pack = await getJson<{ territory?: Polygon | MultiPolygon | null; grids?: Territory['grids'] }>('/api/me/offline').catch(() => null);
		if (pack?.territory) return { outline: pack.territory, grids: pack.grids ?? [] };
		const codes = new Set(buildings.map((b) => b.grid_code).filter((c): c is string => c !== null));
		let parts: Feature<Polygon | MultiPolygon>[] = [];
		let grids: Territory['grids'] = [];
		if (codes.size) {
			const all = await getJson<FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>>('/api/layers/grids');
			const mine = (all?.features ?? []).filter((f): f is AreaFeature => codes.has(f.properties.code));
			parts = mine;
			grids = mine.map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry }));
		} else {
			parts = buildings.map((b) => buffer(point([b.lng, b.lat]), HEAD_RING_M, { units: 'meters' })).filter((f): f is Feature<Polygon> => f !== undefined);
		}
		if (!parts.length) return { outline: null, grids };
		const merged = parts.length === 1 ? parts[0] : union(featureCollection(parts));
		return { outline: merged?.geometry ?? null, grids };
	}

	/** The box to frame: the territory, else the buildings. */
	get bbox(): Bbox | null {
		if (this.territory?.outline) return turfBbox(this.territory.outline) as Bbox;
		if (!this.buildings.length) return null;
		const lngs = this.buildings.map((b) => b.lng);
		const lats = this.buildings.map((b) => b.lat);
		return [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)];
	}

	byCode(code: string): FieldBuilding | undefined {
		return this.buildings.find((b) => b.code === code);
	}

	/** Follows the phone's position (watchPosition) until `stopWatching`. */
	startWatching(): void {
		if (this.#watchId !== null) return;
		if (!('geolocation' in navigator)) {
			this.positionStatus = 'failed';
			return;
		}
		if (this.positionStatus !== 'manual') this.positionStatus = 'locating';
		this.#watchId = navigator.geolocation.watchPosition(
			(p) => {
				// A point the worker chose stays until they ask for the phone's again.
				if (this.positionStatus === 'manual') return;
				this.position = [p.coords.longitude, p.coords.latitude];
				this.positionStatus = 'located';
			},
			() => {
				if (this.positionStatus !== 'manual' && !this.position) this.positionStatus = 'failed';
			},
			{ enableHighAccuracy: true, maximumAge: 10_000, timeout: 15_000 }
		);
	}

	stopWatching(): void {
		if (this.#watchId !== null) navigator.geolocation.clearWatch(this.#watchId);
		this.#watchId = null;
	}

	/** A point typed or chosen on the map stands in for the phone's position. */
	setManual(position: [number, number]): void {
		this.position = position;
		this.positionStatus = 'manual';
	}

	/** Back to the phone's own position. */
	relocate(): void {
		this.positionStatus = 'locating';
		this.stopWatching();
		this.startWatching();
	}

	async openCard(code: string): Promise<BuildingCard | null> {
		this.cardStatus = 'loading';
		try {
			const answer = await this.#cardRequest.run((signal) => getJson<BuildingCard>(`/api/me/buildings/${encodeURIComponent(code)}`, signal));
			if (!answer) return null;
			const row = this.byCode(code);
			const card = answer.value ? { ...answer.value, lng: answer.value.lng ?? row?.lng, lat: answer.value.lat ?? row?.lat } : row ? cardFromRow(row) : null;
			this.card = card;
			this.cardStatus = card ? 'ready' : 'error';
			return card;
		} catch (error) {
			this.cardStatus = 'error';
			this.error = errorMessage(error);
			return null;
		}
	}

	closeCard(): void {
		this.#cardRequest.abort();
		this.card = null;
		this.cardStatus = 'idle';
	}
}

function cardFromRow(b: FieldBuilding): BuildingCard {
	return {
		code: b.code,
		name: null,
		address: b.address,
		floors: b.floors,
		households: b.households,
		grid_code: b.grid_code,
		grid_name: b.grid_name,
		heads: b.heads,
		open_cases: [],
		last_visits: [],
		last_visit_at: b.last_visit_at ?? null,
		rain_check_due: b.rain_check_due ?? false,
		rain_alert_id: null,
		lng: b.lng,
		lat: b.lat,
		partial: true,
		open_issues: b.open_issues
	};
}
