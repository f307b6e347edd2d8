import sharp from 'sharp';
import type { RawImage } from './raw-image';
import { assertRawImage } from './raw-image-check';

/**
 * The RGB pixels of an image: the image itself when it has no alpha, else a copy without the
 * alpha bytes. Alpha goes before any resize: sharp would otherwise premultiply it into the colours.
 */
export function withoutAlpha(raw: RawImage): RawImage {
  if (raw.channels === 3) return raw;
  const pixels = raw.width * raw.height;
  const rgb = new Uint8Array(pixels * 3);
  const { data } = raw;
  for (let p = 0, s = 0, d = 0; p < pixels; p++, s += 4, d += 3) {
    rgb[d] = data[s];
    rgb[d + 1] = data[s + 1];
    rgb[d + 2] = data[s + 2];
  }
  return { data: rgb, width: raw.width, height: raw.height, channels: 3 };
}

/**
 * The size with the shorter side scaled to `shortSide`, aspect kept, each side rounded and neither
 * below `shortSide`: what an ImageNet classifier resizes to before its centre crop.
 */
export function shortSideSize(width: number, height: number, shortSide: number): { width: number; height: number } {
  const scale = shortSide / Math.min(width, height);
  return { width: Math.max(shortSide, Math.round(width * scale)), height: Math.max(shortSide, Math.round(height * scale)) };
}

/**
 * The RGB pixels scaled bilinearly to `shortSideSize`. Scaling an image that already has that size
 * changes nothing. The whole result is made: for a classifier's own crop of a very long image,
 * resize and crop in one sharp pipeline instead.
 */
export async function resizeShortSide(raw: RawImage, shortSide: number): Promise<RawImage> {
  assertRawImage(raw);
  const { width, height } = raw;
  const size = shortSideSize(width, height, shortSide);
  const rgb = withoutAlpha(raw);
  if (size.width === width && size.height === height) return rgb;
  const data = await sharp(rgb.data, { raw: { width, height, channels: 3 } })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...size, channels: 3 };
}
