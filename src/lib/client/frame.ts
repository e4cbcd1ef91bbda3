/**
 * Framing a map on what a page shows (the communities of a dashboard or an evaluation, the
 * demands of a list): the bounding box of the features, by turf, never animated. Nothing to
 * frame, nothing done.
 */
import { bbox } from '@turf/turf';
import type { FitBoundsOptions, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

export function frame(map: MapLibreMap | null, features: FeatureCollection, options: FitBoundsOptions = {}): void {
	if (!map || features.features.length === 0) return;
	const [w, s, e, n] = bbox(features);
	map.fitBounds([[w, s], [e, n]], { ...options, animate: false });
}
