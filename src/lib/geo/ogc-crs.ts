/**
 * The coordinate reference systems the OGC API – Features interface offers (Part 2, CRS by
 * reference), by their URIs. Storage is WGS84 longitude/latitude; a geographic CRS named by
 * EPSG has latitude first (its axis order, which Part 2 requires answers and bbox-crs to
 * follow), CRS84 and EPSG:3857 have x first. EPSG:4490 (CGCS2000) and WGS84 differ by a few
 * centimetres, below the precision the data is kept at, so PostGIS's null transformation
 * between them is what a county GIS expects.
 */

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export interface OgcCrs {
	uri: string;
	srid: number;
	/** the first axis is latitude (northing): coordinates are flipped from PostGIS's x/y */
	latFirst: boolean;
	/** decimals the answer keeps: 7 in degrees and 2 in metres are about a centimetre */
	decimals: number;
	/** geographic: a bbox may cross the antimeridian */
	geographic: boolean;
}

export const OGC_CRS: readonly OgcCrs[] = [
	{ uri: CRS84, srid: 4326, latFirst: false, decimals: 7, geographic: true },
	{ uri: 'http://www.opengis.net/def/crs/EPSG/0/4490', srid: 4490, latFirst: true, decimals: 7, geographic: true },
	{ uri: 'http://www.opengis.net/def/crs/EPSG/0/4326', srid: 4326, latFirst: true, decimals: 7, geographic: true },
	{ uri: 'http://www.opengis.net/def/crs/EPSG/0/3857', srid: 3857, latFirst: false, decimals: 2, geographic: false }
];

export const OGC_CRS_URIS = OGC_CRS.map((c) => c.uri);

/**
 * A CRS by its URI, or by the safe CURIE forms clients also send (`[EPSG:4490]`, `EPSG:4490`,
 * `OGC:CRS84`); undefined when not offered. Only the http form is http-equivalent; https
 * variants some clients write are taken too.
 */
export function crsOf(name: string): OgcCrs | undefined {
	const text = name.trim().replace(/^\[(.*)\]$/, '$1').replace(/^https:/, 'http:');
	const curie = /^(EPSG|OGC):(\w+)$/i.exec(text);
	const uri = curie
		? curie[1].toUpperCase() === 'OGC'
			? curie[2].toUpperCase() === 'CRS84'
				? CRS84
				: ''
			: `http://www.opengis.net/def/crs/EPSG/0/${curie[2]}`
		: text;
	return OGC_CRS.find((c) => c.uri === uri);
}
