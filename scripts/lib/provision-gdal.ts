/**
 * Finds GDAL's command-line tools (`ogrinfo`, `ogr2ogr`), which the OGC API – Features tests
 * drive as a county GIS office would, and on Debian/Ubuntu as root installs `gdal-bin` when
 * they are missing. Nothing is downloaded but the distribution's package.
 */
import fs from 'node:fs';
import { aptInstall, canApt } from './apt.js';

const OGRINFO = '/usr/bin/ogrinfo';

/** The directory holding ogrinfo and ogr2ogr; installs gdal-bin when it can and must. */
export function ensureGdal(log: (m: string) => void = console.log): string {
	if (fs.existsSync(OGRINFO)) return '/usr/bin';
	if (!canApt()) throw new Error('No GDAL for the OGC API tests (no /usr/bin/ogrinfo).\nInstall the distribution package (Debian/Ubuntu: apt install gdal-bin).');
	log('No GDAL found: installing gdal-bin from Debian packages');
	aptInstall(['gdal-bin'], log);
	if (!fs.existsSync(OGRINFO)) throw new Error('installing gdal-bin gave no /usr/bin/ogrinfo');
	return '/usr/bin';
}
