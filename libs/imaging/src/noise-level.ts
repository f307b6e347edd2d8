import type { RawImage } from './raw-image';
import { assertRawImage } from './raw-image-check';

/**
 * A simple noise figure: the mean absolute 4-neighbour Laplacian `|4p − up − down − left − right|`
 * over the colour channels of interior pixels (alpha ignored). 0 for a flat image or a linear
 * gradient; pixel noise raises it. Images narrower or shorter than 3 pixels give 0.
 */
export function noiseLevel(raw: RawImage): number {
  assertRawImage(raw);
  const { data, width, height, channels } = raw;
  if (width < 3 || height < 3) return 0;
  const stride = width * channels;
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * stride + x * channels;
      for (let c = 0; c < 3; c++) {
        const i = p + c;
        sum += Math.abs(4 * data[i] - data[i - stride] - data[i + stride] - data[i - channels] - data[i + channels]);
      }
    }
  }
  return sum / ((width - 2) * (height - 2) * 3);
}
