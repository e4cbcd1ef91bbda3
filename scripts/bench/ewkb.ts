/**
 * GeoJSON → hex EWKB (little-endian, SRID 4326), the text form PostGIS's geometry input
 * parses fastest. The loader COPYs it straight into a geometry column, so the server never
 * runs ST_GeomFromGeoJSON on millions of rows, and doubles go over bit for bit.
 */
import type { Geometry, Position } from 'geojson';

const SRID_FLAG = 0x20000000;
const TYPE = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6 } as const;
type Supported = keyof typeof TYPE;

function byteLength(g: Geometry): number {
	// header: byte order (1) + type (4)
	switch (g.type) {
		case 'Point':
			return 5 + 16;
		case 'LineString':
		case 'MultiPoint':
			return g.type === 'MultiPoint' ? 9 + g.coordinates.length * 21 : 9 + g.coordinates.length * 16;
		case 'Polygon':
			return 9 + g.coordinates.reduce((n, ring) => n + 4 + ring.length * 16, 0);
		case 'MultiLineString':
			return 9 + g.coordinates.reduce((n, line) => n + 9 + line.length * 16, 0);
		case 'MultiPolygon':
			return 9 + g.coordinates.reduce((n, poly) => n + 9 + poly.reduce((m, ring) => m + 4 + ring.length * 16, 0), 0);
		default:
			throw new Error(`geometry type ${g.type} is not supported by the bench loader`);
	}
}

class Writer {
	offset = 0;
	constructor(readonly buf: Buffer) {}
	u8(v: number) {
		this.buf.writeUInt8(v, this.offset);
		this.offset += 1;
	}
	u32(v: number) {
		this.buf.writeUInt32LE(v, this.offset);
		this.offset += 4;
	}
	position(p: Position) {
		this.buf.writeDoubleLE(p[0], this.offset);
		this.buf.writeDoubleLE(p[1], this.offset + 8);
		this.offset += 16;
	}
	points(ps: Position[]) {
		this.u32(ps.length);
		for (const p of ps) this.position(p);
	}
	header(type: Supported, srid: boolean) {
		this.u8(1);
		if (srid) {
			this.u32(TYPE[type] | SRID_FLAG);
			this.u32(4326);
		} else {
			this.u32(TYPE[type]);
		}
	}
}

function body(w: Writer, g: Geometry): void {
	switch (g.type) {
		case 'Point':
			w.position(g.coordinates);
			return;
		case 'LineString':
			w.points(g.coordinates);
			return;
		case 'Polygon':
			w.u32(g.coordinates.length);
			for (const ring of g.coordinates) w.points(ring);
			return;
		case 'MultiPoint':
			w.u32(g.coordinates.length);
			for (const p of g.coordinates) {
				w.header('Point', false);
				w.position(p);
			}
			return;
		case 'MultiLineString':
			w.u32(g.coordinates.length);
			for (const line of g.coordinates) {
				w.header('LineString', false);
				w.points(line);
			}
			return;
		case 'MultiPolygon':
			w.u32(g.coordinates.length);
			for (const poly of g.coordinates) {
				w.header('Polygon', false);
				w.u32(poly.length);
				for (const ring of poly) w.points(ring);
			}
			return;
		default:
			throw new Error(`geometry type ${g.type} is not supported by the bench loader`);
	}
}

/** Hex EWKB with SRID 4326, e.g. for a COPY text field. */
export function toHexEwkb(g: Geometry): string {
	// +4 for the SRID that only the outer header carries
	const w = new Writer(Buffer.allocUnsafe(byteLength(g) + 4));
	w.header(g.type as Supported, true);
	body(w, g);
	return w.buf.toString('hex');
}
