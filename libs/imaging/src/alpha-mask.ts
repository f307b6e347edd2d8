import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { RawImage } from './raw-image';
import { assertRawImage } from './raw-image-check';

/** One byte per pixel, row by row: 0 = transparent, 255 = opaque. */
export interface AlphaMask {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Returns an RGBA copy of `raw` whose alpha is `mask`; any alpha `raw` had is replaced. A mask of
 * another size (a segmentation model's output) is scaled to the image bilinearly, pixel centres
 * aligned, in the same pass that copies the pixels: the full-size mask is never materialised.
 */
export function applyAlphaMask(raw: RawImage, mask: AlphaMask): RawImage {
  assertRawImage(raw);
  assertMask(mask);
  const { data, width, height, channels } = raw;
  const alpha = mask.data;
  const columns = bilinearTaps(width, mask.width);
  const rows = bilinearTaps(height, mask.height);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0, s = 0, d = 0; y < height; y++) {
    const upperRow = rows.low[y] * mask.width;
    const lowerRow = rows.high[y] * mask.width;
    const down = rows.weight[y];
    for (let x = 0; x < width; x++, s += channels, d += 4) {
      const left = columns.low[x];
      const right = columns.high[x];
      const across = columns.weight[x];
      // Fixed point: weights are in 1/256ths, so the blend is in 1/65536ths.
      const upper = alpha[upperRow + left] * (256 - across) + alpha[upperRow + right] * across;
      const lower = alpha[lowerRow + left] * (256 - across) + alpha[lowerRow + right] * across;
      rgba[d] = data[s];
      rgba[d + 1] = data[s + 1];
      rgba[d + 2] = data[s + 2];
      rgba[d + 3] = (upper * (256 - down) + lower * down + 32768) >> 16;
    }
  }
  return { data: rgba, width, height, channels: 4 };
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
