/** Reading a `bbox=w,s,e,n` query parameter: four numbers in WGS84 range, west < east, south < north. */
import { error } from '@sveltejs/kit';
import type { Bbox } from './issues.js';

export function bboxParam(params: URLSearchParams): Bbox {
	const raw = params.get('bbox');
	if (!raw) error(400, 'bbox=w,s,e,n is required');
	const parts = raw.split(',').map((v) => Number(v.trim()));
	if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v))) error(400, `bbox '${raw}' must be four numbers w,s,e,n`);
	const [w, s, e, n] = parts;
	if (w < -180 || e > 180 || s < -90 || n > 90) error(400, `bbox '${raw}' is out of range`);
	if (w >= e || s >= n) error(400, `bbox '${raw}' must have west < east and south < north`);
	return [w, s, e, n];
}
