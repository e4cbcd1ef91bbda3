import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { MAX_PHOTO_BYTES, processPhoto } from '../../src/lib/server/cases/photo-processing.js';

const solid = (width: number, height: number) =>
	sharp({ create: { width, height, channels: 3, background: '#c00' } });

describe('photos that are taken', () => {
	it('a 400×200 JPEG with EXIF orientation 6 comes out upright, 200×400, with no metadata', async () => {
		const input = await solid(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
		const before = await sharp(input).metadata();
		expect(before).toMatchObject({ width: 400, height: 200, orientation: 6 });
		expect(before.exif).toBeDefined();

		const photo = await processPhoto(input);
		expect(photo).toMatchObject({ mime: 'image/jpeg', thumbMime: 'image/webp', width: 200, height: 400 });
		const after = await sharp(photo.bytes).metadata();
		expect(after).toMatchObject({ format: 'jpeg', width: 200, height: 400 });
		expect(after.exif).toBeUndefined();
		expect(after.icc).toBeUndefined();
		expect(after.orientation).toBeUndefined();
		const thumb = await sharp(photo.thumb).metadata();
		expect(thumb).toMatchObject({ format: 'webp', width: 160, height: 320 });
		expect(thumb.exif).toBeUndefined();
	});

	it('PNG and WebP keep their format', async () => {
		const png = await processPhoto(await solid(300, 100).png().toBuffer());
		expect(png).toMatchObject({ mime: 'image/png', width: 300, height: 100 });
		expect((await sharp(png.bytes).metadata()).format).toBe('png');

		const webp = await processPhoto(await solid(300, 100).webp().toBuffer());
		expect(webp).toMatchObject({ mime: 'image/webp', width: 300, height: 100 });
		expect((await sharp(webp.bytes).metadata()).format).toBe('webp');
	});

	it('a 5000×4000 photo is brought down to 2560 on the long side, its thumbnail to 320', async () => {
		const photo = await processPhoto(await solid(5000, 4000).jpeg().toBuffer());
		expect(photo).toMatchObject({ width: 2560, height: 2048 });
		expect(await sharp(photo.bytes).metadata()).toMatchObject({ width: 2560, height: 2048 });
		expect(await sharp(photo.thumb).metadata()).toMatchObject({ format: 'webp', width: 320, height: 256 });
	});

	it('a 5000×5000 photo becomes 2560×2560 with a 320×320 thumbnail', async () => {
		const photo = await processPhoto(await solid(5000, 5000).png().toBuffer());
		expect(photo).toMatchObject({ width: 2560, height: 2560 });
		expect(await sharp(photo.thumb).metadata()).toMatchObject({ width: 320, height: 320 });
	});

	it('a small photo is not enlarged, nor is its thumbnail', async () => {
		const photo = await processPhoto(await solid(120, 80).webp().toBuffer());
		expect(photo).toMatchObject({ width: 120, height: 80 });
		expect(await sharp(photo.thumb).metadata()).toMatchObject({ width: 120, height: 80 });
	});

	it('the field name given is the one errors name', async () => {
		await expect(processPhoto(Buffer.from('%PDF-1.4\n'), 'photos[2]')).rejects.toMatchObject({
			status: 415,
			message: 'photos[2] is not a JPEG, PNG or WebP image (its content is PDF)'
		});
	});
});

describe('uploads that are refused', () => {
	const refused = (bytes: Uint8Array, status: number, message: string) =>
		expect(processPhoto(bytes)).rejects.toMatchObject({ name: 'ApiError', status, message });
	const notAPhoto = (what: string) => `photo is not a JPEG, PNG or WebP image (its content is ${what})`;

	it('10 MB and one byte: 413, before any decoding', async () => {
		// JPEG magic at the front, garbage after: a decode attempt would answer 400, not 413
		const bytes = new Uint8Array(MAX_PHOTO_BYTES + 1);
		bytes.set([0xff, 0xd8, 0xff]);
		await refused(bytes, 413, 'photo is too large: at most 10 MB');
	});

	it('a PDF named .jpg: 415 naming PDF', async () => {
		await refused(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), 415, notAPhoto('PDF'));
	});

	it('HTML, plain text, GIF, ZIP, HEIC and random bytes: 415 naming each', async () => {
		await refused(Buffer.from('<!DOCTYPE html><html><body>404</body></html>'), 415, notAPhoto('HTML'));
		await refused(Buffer.from('\uFEFF  <html lang="zh">合江</html>'), 415, notAPhoto('HTML'));
		await refused(Buffer.from('网格员 张三, 13800000000\n'), 415, notAPhoto('text'));
		await refused(await solid(10, 10).gif().toBuffer(), 415, notAPhoto('GIF'));
		await refused(Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'), 415, notAPhoto('ZIP'));
		await refused(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic', 'latin1'), 415, notAPhoto('HEIC/AVIF'));
		// fixed "random" bytes, chosen to start with nothing recognisable and to be invalid UTF-8
		const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
		noise[0] = 0x9e;
		await refused(noise, 415, notAPhoto('unrecognised'));
	});

	it('an empty upload: 400', async () => {
		await refused(new Uint8Array(0), 400, 'photo is empty');
	});

	it('a truncated JPEG: 400, whether cut in its header or in its scan data', async () => {
		const jpeg = await solid(400, 200).jpeg().toBuffer();
		await refused(jpeg.subarray(0, 200), 400, 'photo could not be read as an image');
		await refused(jpeg.subarray(0, jpeg.length - 50), 400, 'photo could not be read as an image');
	});

	it('PNG and WebP magic followed by garbage: 400', async () => {
		const png = await solid(40, 40).png().toBuffer();
		await refused(Buffer.concat([png.subarray(0, 8), Buffer.alloc(100, 7)]), 400, 'photo could not be read as an image');
		await refused(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 garbage!', 'latin1'), 400, 'photo could not be read as an image');
	});

	it('a decompression bomb: a small PNG claiming too many pixels is refused from its header', async () => {
		// 13,000 × 1 is cheap to make and over the side limit; 7,000 × 7,000 is over 40 MP
		const wide = await solid(13_000, 1).png().toBuffer();
		await refused(wide, 400, 'photo is 13000×1 pixels: at most 12,000 on a side and 40 megapixels in all');
		const square = await solid(7000, 7000).png({ compressionLevel: 9 }).toBuffer();
		expect(square.length).toBeLessThan(1024 * 1024);
		await refused(square, 400, 'photo is 7000×7000 pixels: at most 12,000 on a side and 40 megapixels in all');
	});
});
