/**
 * Image bytes that a careless decoder gets wrong: unusual but valid encodings, and broken or
 * hostile ones. All made on the fly with sharp or by hand; nothing is read from disk.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { PNG_SIGNATURE, findPngChunk, pngChunk } from './png-chunks';
import { makeRandomImage } from './synthetic-images';

const solid = (width: number, height: number, colour: { r: number; g: number; b: number; alpha?: number }) =>
  sharp({ create: { width, height, channels: colour.alpha === undefined ? 3 : 4, background: colour } });

const noisy = (width: number, height: number) => {
  const { data } = makeRandomImage(width, height, 3, 42);
  return sharp(data, { raw: { width, height, channels: 3 } });
};

/** 16 bits per channel RGB PNG, colour (200, 100, 50) × 257. */
export function makeSixteenBitPng(width = 32, height = 24): Promise<Buffer> {
  return solid(width, height, { r: 200, g: 100, b: 50 }).toColourspace('rgb16').png().toBuffer();
}

/** CMYK JPEG of a mid orange, no ICC profile. */
export function makeCmykJpeg(width = 32, height = 24): Promise<Buffer> {
  return solid(width, height, { r: 230, g: 120, b: 30 }).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
}

/** One-channel greyscale PNG, value 90. */
export function makeGreyscalePng(width = 32, height = 24): Promise<Buffer> {
  return sharp(new Uint8Array(width * height).fill(90), { raw: { width, height, channels: 1 } }).png().toBuffer();
}

/** Palette (indexed colour) PNG with transparency, colour (10, 200, 30, alpha 128). */
export function makePalettePng(width = 32, height = 24): Promise<Buffer> {
  return solid(width, height, { r: 10, g: 200, b: 30, alpha: 128 / 255 }).png({ palette: true, dither: 0 }).toBuffer();
}

/** Three-frame animated GIF: red, green, blue frames, each `width × height`. */
export function makeAnimatedGif(width = 24, height = 16): Promise<Buffer> {
  const frame = width * height * 3;
  const data = new Uint8Array(frame * 3);
  for (let f = 0; f < 3; f++) for (let i = f * frame + f; i < (f + 1) * frame; i += 3) data[i] = 255;
  return sharp(data, { raw: { width, height: height * 3, channels: 3, pageHeight: height } })
    .gif({ delay: [100, 100, 100], loop: 0 })
    .toBuffer();
}

/**
 * JPEG stored `width × height` (left half red, right half blue) with EXIF orientation 6 (rotate
 * 90° clockwise to display): shown `height × width`, red on top.
 */
export async function makeExifRotatedJpeg(width = 40, height = 20): Promise<Buffer> {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) data[p * 3 + ((p % width) < width / 2 ? 0 : 2)] = 255;
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A noisy JPEG cut off after 60% of its bytes (valid header, missing scan data). */
export async function makeTruncatedJpeg(): Promise<Buffer> {
  const jpeg = await noisy(120, 80).jpeg().toBuffer();
  return jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
}

/** A noisy PNG cut off after 60% of its bytes. */
export async function makeTruncatedPng(): Promise<Buffer> {
  const png = await noisy(120, 80).png().toBuffer();
  return png.subarray(0, Math.floor(png.length * 0.6));
}

/** A complete PNG whose IDAT chunk has a wrong CRC. */
export async function makeBadCrcPng(): Promise<Buffer> {
  const png = Buffer.from(await noisy(120, 80).png().toBuffer());
  const { offset, length } = findPngChunk(png, 'IDAT');
  png[offset + 8 + length] ^= 0xff;
  return png;
}

/**
 * A decompression bomb: a valid 8-bit RGB PNG header declaring `width × height` (default 10
 * gigapixels, 30 GB decoded) with a tiny IDAT, about 100 bytes in all.
 */
export function makePngBomb(width = 100_000, height = 100_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A small valid SVG document. */
export function makeSvg(): Buffer {
  return Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">' +
      '<rect width="40" height="30" fill="red"/></svg>\n',
  );
}

/** The start of a PDF file. */
export function makePdfHeader(): Buffer {
  return Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', 'latin1');
}

/** The start of an HEIC (HEVC-coded HEIF) file: an `ftyp` box with brand `heic`, then junk. */
export function makeHeicHeader(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(64, 0x11)]);
}

/** Plain text, not an image at all. */
export function makeTextBytes(): Buffer {
  return Buffer.from('This is a plain text file, not an image.\n');
}

/** An accepted format other than JPEG and PNG (lossless where there is a choice), solid (40, 80, 160). */
export function makeImageAs(format: 'webp' | 'gif' | 'tiff' | 'avif', width = 32, height = 24): Promise<Buffer> {
  const image = solid(width, height, { r: 40, g: 80, b: 160 });
  if (format === 'webp') return image.webp({ lossless: true }).toBuffer();
  if (format === 'avif') return image.avif({ lossless: true }).toBuffer();
  return image.toFormat(format).toBuffer();
}
