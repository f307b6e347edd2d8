import type { RawImage } from '../raw-image';

/**
 * The obviously correct median filter the SIMD one is checked against, byte for byte: for every
 * pixel and colour channel, sort the k×k window (coordinates clamped: replicated edges) and take
 * the middle. Alpha is copied unchanged. Slow; for tests only.
 */
export function referenceMedianFilter(raw: RawImage, kernelSize: number): RawImage {
  const { data, width, height, channels } = raw;
  const radius = (kernelSize - 1) / 2;
  const output = new Uint8Array(data.length);
  const window: number[] = [];
  const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const at = (y * width + x) * channels + c;
        if (c === 3) {
          output[at] = data[at];
          continue;
        }
        window.length = 0;
        for (let dy = -radius; dy <= radius; dy++) {
          for (let dx = -radius; dx <= radius; dx++) {
            window.push(data[(clamp(y + dy, height - 1) * width + clamp(x + dx, width - 1)) * channels + c]);
          }
        }
        window.sort((a, b) => a - b);
        output[at] = window[(window.length - 1) / 2];
      }
    }
  }
  return { data: output, width, height, channels };
}
