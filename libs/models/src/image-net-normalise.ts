/** ImageNet channel statistics (RGB), used by both models. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Interleaved 8-bit RGB → planar float32 CHW with `(x / 255 - mean) / std` per channel,
 * written straight into one new array (the tensor's buffer).
 */
export function rgbToNormalisedChw(rgb: Uint8Array, pixels: number): Float32Array {
  const out = new Float32Array(3 * pixels);
  const [m0, m1, m2] = IMAGENET_MEAN;
  const [s0, s1, s2] = IMAGENET_STD;
  const a0 = 1 / (255 * s0), a1 = 1 / (255 * s1), a2 = 1 / (255 * s2);
  const b0 = m0 / s0, b1 = m1 / s1, b2 = m2 / s2;
  for (let i = 0, p = 0; i < pixels; i += 1, p += 3) {
    out[i] = rgb[p] * a0 - b0;
    out[pixels + i] = rgb[p + 1] * a1 - b1;
    out[2 * pixels + i] = rgb[p + 2] * a2 - b2;
  }
  return out;
}
