import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { RawImage } from './raw-image';
import { assertRawImage } from './raw-image-check';

/**
 * Returns an RGBA copy of `raw` whose alpha is `mask` (one byte per pixel, row by row, 0 =
 * transparent, 255 = opaque), e.g. a segmentation mask resized to the image. Any alpha `raw` had
 * is replaced.
 */
export function applyAlphaMask(raw: RawImage, mask: Uint8Array): RawImage {
  assertRawImage(raw);
  const pixels = raw.width * raw.height;
  if (!(mask instanceof Uint8Array) || mask.length !== pixels) {
    const got = mask instanceof Uint8Array ? `${mask.length} bytes` : typeof mask;
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `alpha mask must be a Uint8Array of ${raw.width}×${raw.height} = ${pixels} bytes, got ${got}`,
    );
  }
  const { data, channels } = raw;
  const rgba = new Uint8Array(pixels * 4);
  for (let p = 0, s = 0, d = 0; p < pixels; p++, s += channels, d += 4) {
    rgba[d] = data[s];
    rgba[d + 1] = data[s + 1];
    rgba[d + 2] = data[s + 2];
    rgba[d + 3] = mask[p];
  }
  return { data: rgba, width: raw.width, height: raw.height, channels: 4 };
}
