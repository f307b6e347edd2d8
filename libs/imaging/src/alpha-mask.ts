import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import sharp from 'sharp';
import type { RawImage } from './raw-image';
import { assertRawImage } from './raw-image-check';
import { DEFAULT_COMPRESSION_LEVEL } from './encode-png';
import { withoutAlpha } from './resize';

/** One byte per pixel, row by row: 0 = transparent, 255 = opaque. */
export interface AlphaMask {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * `mask` at `width × height`, scaled bilinearly with pixel centres aligned (a segmentation model's
 * 320×320 output to the photo's size); the same mask when the size already matches.
 */
export function scaleMask(mask: AlphaMask, width: number, height: number): AlphaMask {
  assertMask(mask);
  if (mask.width === width && mask.height === height) return mask;
  const columns = bilinearTaps(width, mask.width);
  const rows = bilinearTaps(height, mask.height);
  // Scale each source row across once; then every output row blends two of them.
  const across = new Uint16Array(mask.height * width);
  for (let y = 0; y < mask.height; y++) {
    const source = y * mask.width;
    for (let x = 0, at = y * width; x < width; x++, at++) {
      const right = columns.weight[x];
      across[at] = mask.data[source + columns.low[x]] * (256 - right) + mask.data[source + columns.high[x]] * right;
    }
  }
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const upper = rows.low[y] * width;
    const lower = rows.high[y] * width;
    const down = rows.weight[y];
    // Weights are in 1/256ths, so the blend is in 1/65536ths; +32768 rounds.
    for (let x = 0, at = y * width; x < width; x++, at++) {
      data[at] = (across[upper + x] * (256 - down) + across[lower + x] * down + 32768) >>> 16;
    }
  }
  return { data, width, height };
}

/**
 * The RGBA PNG of `raw` with `mask` as its alpha (scaled to the image; any alpha `raw` had is
 * replaced), stored (compression level 0, as `encodePng`). libvips joins the alpha while it
 * encodes: no RGBA copy of the pixels is made.
 */
export async function encodeCutOutPng(raw: RawImage, mask: AlphaMask): Promise<Buffer> {
  assertRawImage(raw);
  const { width, height } = raw;
  const alpha = scaleMask(mask, width, height);
  // sharp's removeAlpha would drop the joined alpha too: an RGBA input loses its own first.
  return sharp(withoutAlpha(raw).data, { raw: { width, height, channels: 3 } })
    .joinChannel(Buffer.from(alpha.data.buffer, alpha.data.byteOffset, alpha.data.byteLength), { raw: { width, height, channels: 1 } })
    .png({ compressionLevel: DEFAULT_COMPRESSION_LEVEL, adaptiveFiltering: false })
    .toBuffer();
}

/** For each of `size` output positions: the two source positions and the weight of the second, in 1/256ths. */
function bilinearTaps(size: number, sourceSize: number) {
  const low = new Int32Array(size);
  const high = new Int32Array(size);
  const weight = new Int32Array(size);
  const scale = sourceSize / size;
  for (let i = 0; i < size; i++) {
    const at = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), sourceSize - 1);
    low[i] = Math.floor(at);
    high[i] = Math.min(low[i] + 1, sourceSize - 1);
    weight[i] = Math.round((at - low[i]) * 256);
  }
  return { low, high, weight };
}

function assertMask(mask: AlphaMask): void {
  const { data, width, height } = mask ?? {};
  const sized = Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0;
  if (!sized || !(data instanceof Uint8Array) || data.length !== width * height) {
    const got = data instanceof Uint8Array ? `${data.length} bytes` : typeof data;
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `alpha mask must be a positive width × height with one byte per pixel, got ${width}×${height} and ${got}`,
    );
  }
}
