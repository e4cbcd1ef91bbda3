// exifr's mini build (JPEG and TIFF, EXIF and GPS only: what the public form reads, 29 kB
// instead of 45) ships without its own declaration; it has the same API as the full build.
declare module 'exifr/dist/mini.esm.mjs' {
	export * from 'exifr';
}
