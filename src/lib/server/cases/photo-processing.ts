/**
 * Photos attached to issues and buildings: checked by their content, never by their name or
 * the type the browser claims, then re-encoded so that what we store and serve is an image we
 * wrote ourselves — upright (EXIF orientation applied), at most 2560 px on the long side, with
 * no metadata (EXIF carries the GPS position and the phone's serial number of whoever took it).
 * Every refusal is an ApiError naming the field: 413 too large, 415 not a photo format we take,
 * 400 looks like one but cannot be decoded or has too many pixels.
 */
import sharp from 'sharp';
import { fail } from '../platform/errors.js';

// One libvips worker thread per image: the machine has two cores, shared with PostgreSQL and
// the map server, and a photo upload is not worth starving a tile request for. (sharp already
// defaults to 1 on glibc Linux without jemalloc; saying so here keeps it when that changes.)
sharp.concurrency(1);
// libvips' operation cache (50 MB, 20 files by default) only pays off when the same input is
// processed again; every upload is a new image, so the cache would only hold memory.
sharp.cache(false);

/** Largest upload taken, in bytes; the check comes before any decoding. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Well above a phone camera's default photo (12–50 MP); a few KB of PNG can claim
 * 100,000 × 100,000 pixels, which would take 30 GB to decode. */
export const MAX_PHOTO_PIXELS = 40_000_000;
export const MAX_PHOTO_SIDE = 12_000;
/** Long side of the stored photo: sharp on a 4K screen, a fraction of a phone's original. */
export const PHOTO_LONG_SIDE = 2560;
/** The box a list thumbnail fits in. */
export const THUMB_SIDE = 320;

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** Encoder options by format; mozjpeg off: it spends several times the CPU for a somewhat smaller file. */
const ENCODE: Record<PhotoMime, sharp.JpegOptions | sharp.PngOptions | sharp.WebpOptions> = {
	'image/jpeg': { quality: 82, mozjpeg: false },
	'image/png': {},
	'image/webp': { quality: 80 }
};

export interface ProcessedPhoto {
	mime: PhotoMime;
	/** the re-encoded photo, in the format it came in */
	bytes: Buffer;
	thumb: Buffer;
	thumbMime: 'image/webp';
	/** of the stored photo, after rotation and downscaling */
	width: number;
	height: number;
}

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
	bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The photo format the first bytes announce, or undefined. */
function photoMime(bytes: Uint8Array): PhotoMime | undefined {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
	return undefined;
}

/** What a refused upload is, for the message: the formats people actually send by mistake. */
export function describeContent(bytes: Uint8Array): string {
	if (startsWith(bytes, ascii('%PDF-'))) return 'PDF';
	if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'GIF';
	// iPhones' default format; the brand follows `ftyp` at offset 4
	if (startsWith(bytes, ascii('ftyp'), 4) && /^(hei|hev|mif|msf|avi)/.test(String.fromCharCode(...bytes.subarray(8, 12))))
		return 'HEIC/AVIF';
	if (startsWith(bytes, ascii('II*\0')) || startsWith(bytes, ascii('MM\0*'))) return 'TIFF';
	if (startsWith(bytes, ascii('BM'))) return 'BMP';
	if (startsWith(bytes, ascii('PK\x03\x04'))) return 'ZIP';
	const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512));
	const lead = head.replace(/^\uFEFF/, '').trimStart().toLowerCase();
	if (lead.startsWith('<!doctype html') || lead.startsWith('<html')) return 'HTML';
	if (lead.startsWith('<svg') || (lead.startsWith('<?xml') && lead.includes('<svg'))) return 'SVG';
	// text: no control characters but tab, newline and carriage return, and no invalid UTF-8
	// (the decoder's U+FFFD), allowing for a character cut at byte 512
	if (head.length > 0 && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\uFFFD./s.test(head)) return 'text';
	return 'unrecognised';
}

/**
 * Checks an uploaded photo and re-encodes it, with a WebP thumbnail for lists. `field` names
 * the upload in error messages.
 */
export async function processPhoto(bytes: Uint8Array, field = 'photo'): Promise<ProcessedPhoto> {
	if (bytes.byteLength > MAX_PHOTO_BYTES) fail(413, `${field} is too large: at most 10 MB`);
	if (bytes.byteLength === 0) fail(400, `${field} is empty`);
	const mime = photoMime(bytes);
	if (!mime) fail(415, `${field} is not a JPEG, PNG or WebP image (its content is ${describeContent(bytes)})`);

	// The header alone gives the size, so a decompression bomb is refused before a pixel is
	// decoded, with a message that says how big it is; limitInputPixels below is the backstop.
	const header = await decoder(bytes, false)
		.metadata()
		.catch(() => fail(400, `${field} could not be read as an image`));
	const { width = 0, height = 0 } = header;
	if (width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE || width * height > MAX_PHOTO_PIXELS)
		fail(400, `${field} is ${width}×${height} pixels: at most 12,000 on a side and 40 megapixels in all`);
	// The magic bytes and libvips' own sniffing must agree, or the stored type would be a lie.
	if (`image/${header.format}` !== mime) fail(400, `${field} could not be read as an image`);

	try {
		// rotate() without an angle applies the EXIF orientation; sharp writes no metadata
		// unless asked (withMetadata/keepExif), so the output carries none.
		const { data, info } = await decoder(bytes)
			.rotate()
			.resize({ width: PHOTO_LONG_SIDE, height: PHOTO_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
			.toFormat(header.format as 'jpeg' | 'png' | 'webp', ENCODE[mime])
			.toBuffer({ resolveWithObject: true });
		// One after the other, not Promise.all: two concurrent pipelines would take both cores.
		const thumb = await decoder(bytes)
			.rotate()
			.resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
			.webp({ quality: 75 })
			.toBuffer();
		return { mime, bytes: data, thumb, thumbMime: 'image/webp', width: info.width, height: info.height };
	} catch {
		// Whatever libvips refuses past the header (a truncated body, corrupt scan data) is the
		// upload's fault, not ours.
		fail(400, `${field} could not be read as an image`);
	}
}

function decoder(bytes: Uint8Array, limitInputPixels: number | false = MAX_PHOTO_PIXELS) {
	// failOn 'error': libjpeg warnings (stray bytes after the end marker, which some cameras
	// write) pass; truncation and corrupt data fail. Animated WebP: the first frame only.
	return sharp(bytes, { failOn: 'error', limitInputPixels, pages: 1 });
}
