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
 * The RGB pixels scaled, bilinearly, so that the shorter side is `shortSide` (aspect kept, each
 * side rounded, neither below `shortSide`): what an ImageNet classifier resizes to before its
 * centre crop. Scaling an image that already has that size changes nothing.
 */
export async function resizeShortSide(raw: RawImage, shortSide: number): Promise<RawImage> {
  assertRawImage(raw);
  const { width, height } = raw;
  const scale = shortSide / Math.min(width, height);
  const size = { width: Math.max(shortSide, Math.round(width * scale)), height: Math.max(shortSide, Math.round(height * scale)) };
  const rgb = withoutAlpha(raw);
  if (size.width === width && size.height === height) return rgb;
  const data = await sharp(rgb.data, { raw: { width, height, channels: 3 } })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...size, channels: 3 };
}
