/**
 * Writes geodata/hejiang-county.wgs84.geojson from the GCJ-02 fence in geodata/sources/.
 * `npm run geodata:county`. The conversion itself lives in src/lib/geo/county.ts so the unit
 * test can check the committed output against it; this file is only the I/O.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Polygon } from 'geojson';
import { convertCountyOutline, formatCountyGeoJson } from '../src/lib/geo/county.js';

// Paths relative to this file, not to the working directory, so the script runs from anywhere.
const SOURCE = fileURLToPath(new URL('../geodata/sources/hejiang-county-boundary.gcj02.json', import.meta.url));
const TARGET = fileURLToPath(new URL('../geodata/hejiang-county.wgs84.geojson', import.meta.url));

const gcj = JSON.parse(readFileSync(SOURCE, 'utf8')) as Polygon;
const fc = convertCountyOutline(gcj);
writeFileSync(TARGET, formatCountyGeoJson(fc));

const rings = fc.features[0].geometry.coordinates.flat();
const vertices = rings.reduce((n, ring) => n + ring.length, 0);
console.log(`wrote ${TARGET}: ${rings.length} ring(s), ${vertices} positions`);
