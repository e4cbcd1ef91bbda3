/**
 * The map shared by the map components: the MapLibre instance once its style has loaded,
 * and the drawing order of our layers. Components mount in any order (a layer toggled on
 * later, a choropleth picked after the labels exist), so each layer is inserted below the
 * first existing layer that should be drawn above it, rather than on top of everything.
 */
import { getContext, setContext } from 'svelte';
import type * as maplibregl from 'maplibre-gl';

/** Bottom to top. A layer id not listed here goes on top. */
export const LAYER_ORDER = [
	'basemap',
	'county-fill',
	'compounds-fill',
	'renovation-fill',
	// a new project's picked compounds (/renovation/new)
	'renovation-picked-fill',
	'choropleth-fill',
	// 考核评价 (issue 14, part 5): communities by combined score
	'evaluation-fill',
	'flood-fill',
	'rain-progress-fill',
	'selection-fill',
	'liaison-fill',
	// the caller's communities on secondary pages (issue 21): a faint tint under everything
	'outline-fill',
	// a person's territory on their page (the kit's framed map)
	'territory-fill',
	// the county dashboard's choropleth (issue 14, part 6)
	'dashboard-fill',
	// 三张清单 (issue 14, part 3)
	'service-projects-fill',
	'buildings-fill',
	'buildings-extrusion',
	'territory-mask',
	'grids-line',
	'communities-line',
	'streets-line',
	'county-line',
	'choropleth-line',
	'evaluation-line',
	'compounds-line',
	'renovation-line',
	'renovation-present-line',
	'renovation-picked-line',
	'flood-line',
	'rain-progress-line',
	'selection-line',
	'liaison-line',
	'dashboard-line',
	'territory-line',
	// the boundary editor: the neighbours, and the outline as it is (dashed) under the edit
	'boundary-neighbours-line',
	'boundary-before-line',
	'outline-line',
	'issues-heat',
	'issues-circle',
	// 三张清单 (issue 14, part 3)
	'service-projects-point',
	'service-demands-point',
	'service-pick-point',
	// 双报到 (issue 14, part 4)
	'dual-items-point',
	'dual-unclaimed-point',
	'flood-circle',
	'issue-focus',
	'walk-line',
	'field-buildings',
	// the letter inside each field marker: its meaning in a shape, not in colour alone (issue 21)
	'field-buildings-mark',
	'field-position',
	'dashboard-label',
	'compounds-label',
	'grids-label',
	'communities-label',
	'outline-label',
	'streets-label',
	// the work list's cases (issue 21): the page's subject, above the area names; the chosen one on top
	'work-cases-circle',
	'work-cases-selected'
] as const;
export type LayerId = (typeof LAYER_ORDER)[number];

export class MapState {
	/** set once the style has loaded; null before and after the map's life */
	map = $state.raw<maplibregl.Map | null>(null);
	zoom = $state(0);
	/**
	 * The PMTiles archive (a pmtiles:// URL, tile-archive.ts) every vector tile source reads
	 * instead of /tiles/{layer}.json, or null. The archive holds all layers in each tile, and
	 * each source still picks its own layer by name.
	 */
	tileArchive = $state.raw<string | null>(null);

	/** Which component holds each layer id now (see addLayer). */
	private owners = new Map<string, symbol>();

	/**
	 * Adds a layer at its place in LAYER_ORDER, whatever else exists yet, and returns the token
	 * that removes it. A component keyed on a value (the selection's level) mounts its new
	 * instance before the old one is destroyed: the newcomer replaces the layer of the same id,
	 * and the old instance's removal then leaves it alone (issue 21, point 4: "Layer
	 * selection-fill already exists", and the highlight gone).
	 */
	addLayer(layer: maplibregl.AddLayerObject): symbol {
		const token = Symbol(layer.id);
		const map = this.map;
		if (!map) return token;
		if (map.getLayer(layer.id)) map.removeLayer(layer.id);
		const rank = LAYER_ORDER.indexOf(layer.id as LayerId);
		let beforeId: string | undefined;
		if (rank >= 0) {
			beforeId = LAYER_ORDER.slice(rank + 1).find((id) => map.getLayer(id));
		}
		map.addLayer(layer, beforeId);
		this.owners.set(layer.id, token);
		return token;
	}

	/** Removes a layer if the map still has it and `token` (from addLayer) still holds it; the map may be gone when a component unmounts. */
	removeLayer(id: string, token?: symbol) {
		if (token && this.owners.get(id) !== token) return;
		this.owners.delete(id);
		const map = this.map;
		if (map?.style && map.getLayer(id)) map.removeLayer(id);
	}

	/**
	 * Fetches a tile source's tiles again, after a write changed its data (a case reported):
	 * tiles are served no-cache with an ETag of their data version, so only changed tiles
	 * come back with a body.
	 */
	reloadSource(id: string) {
		const source = this.map?.getSource(id) as { setUrl?: (url: string) => void; url?: string } | undefined;
		if (source?.setUrl && source.url) source.setUrl(source.url);
	}

	removeSource(id: string) {
		const map = this.map;
		if (!map?.style || !map.getSource(id)) return;
		// A source cannot go while a layer uses it.
		for (const layer of map.getStyle().layers) {
			if ('source' in layer && layer.source === id) map.removeLayer(layer.id);
		}
		map.removeSource(id);
	}
}

const MAP_KEY = Symbol('map');

/** Called by the page that owns the map, so its own code can fly and fit too. */
export function createMapContext(): MapState {
	return setContext(MAP_KEY, new MapState());
}

export function getMapContext(): MapState {
	const state = getContext<MapState | undefined>(MAP_KEY);
	if (!state) throw new Error('map components must sit inside a page that called createMapContext()');
	return state;
}

/** The vector or GeoJSON source a layer component draws from, set by the source component around it. */
export interface SourceContext {
	id: string;
	/** for vector tiles: the layer inside the tile */
	sourceLayer?: string;
}

const SOURCE_KEY = Symbol('source');

export function setSourceContext(source: SourceContext): SourceContext {
	return setContext(SOURCE_KEY, source);
}

export function getSourceContext(): SourceContext | undefined {
	return getContext<SourceContext | undefined>(SOURCE_KEY);
}
