/**
 * PMTiles archives as the map's vector tile source (issue 12): the `pmtiles` package's
 * MapLibre protocol, registered once, reads the archive by HTTP range requests to this server
 * (MAP_PMTILES, /offline/…) or from a file on the device that the reader picked, so a phone
 * without network still shows its map.
 */
import * as maplibregl from 'maplibre-gl';
import { FileSource, PMTiles, Protocol } from 'pmtiles';

let protocol: Protocol | null = null;

function registered(): Protocol {
	if (!protocol) {
		protocol = new Protocol();
		maplibregl.addProtocol('pmtiles', protocol.tile as unknown as Parameters<typeof maplibregl.addProtocol>[1]);
	}
	return protocol;
}

/** The pmtiles:// URL of an archive on this server; absolute, since MapLibre resolves nothing inside a custom protocol. */
export function serverArchive(path: string): string {
	registered();
	return `pmtiles://${new URL(path, location.origin).href}`;
}

/** The pmtiles:// URL of a file the reader picked (read in place, never uploaded). */
export function fileArchive(file: File): string {
	const archive = new PMTiles(new FileSource(file));
	registered().add(archive);
	return `pmtiles://${archive.source.getKey()}`;
}
