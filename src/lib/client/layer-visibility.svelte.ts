/** Which map layers are on: the layer panel's checkboxes. */
import type { MapLayerName } from '$lib/i18n';

export const TOGGLEABLE_LAYERS = [
	'streets',
	'communities',
	'grids',
	'compounds',
	'buildings',
	'renovation',
	'flood',
	'issues'
] as const satisfies readonly MapLayerName[];
export type ToggleableLayer = (typeof TOGGLEABLE_LAYERS)[number];

export class LayerVisibility {
	visible = $state<Record<ToggleableLayer | 'basemap', boolean>>({
		streets: true,
		communities: true,
		grids: true,
		compounds: true,
		buildings: true,
		renovation: true,
		flood: true,
		issues: true,
		basemap: true
	});

	toggle(layer: ToggleableLayer | 'basemap') {
		this.visible[layer] = !this.visible[layer];
	}
}
