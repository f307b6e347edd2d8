import type { RawImage } from '../raw-image';

/** A small deterministic PRNG (mulberry32), so test images are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniformly random bytes in every channel (alpha too). */
export function makeRandomImage(width: number, height: number, channels: 3 | 4, seed = 1): RawImage {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  return { data, width, height, channels };
}

export interface NoisyGradientOptions {
  width?: number;
  height?: number;
  channels?: 3 | 4;
  /** Fraction of pixels set to black or white. Default 0.05. */
  saltAndPepper?: number;
  /** Standard deviation of added gaussian noise, in 0..255 units. Default 12. */
  gaussianSigma?: number;
  seed?: number;
}

/** The width and height of a 4:3 photo of about `megapixels`, as cameras and phones make them. */
export function photoSize(megapixels: number): { width: number; height: number } {
  const width = Math.round(Math.sqrt((megapixels * 1e6 * 4) / 3));
  return { width, height: Math.round((width * 3) / 4) };
}

/** A smooth colour gradient with salt-and-pepper and gaussian noise (alpha, if any, opaque). */
export function makeNoisyGradient(options: NoisyGradientOptions = {}): RawImage {
  const { width = 96, height = 64, channels = 3, saltAndPepper = 0.05, gaussianSigma = 12, seed = 7 } = options;
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * channels;
      const smooth = [(255 * x) / width, (255 * y) / height, 128 + 64 * Math.sin((x + y) / 20)];
      const impulse = random() < saltAndPepper ? (random() < 0.5 ? 0 : 255) : undefined;
      for (let c = 0; c < 3; c++) {
        data[at + c] = impulse ?? Math.min(255, Math.max(0, Math.round(smooth[c] + gaussianSigma * gaussian())));
      }
      if (channels === 4) data[at + 3] = 255;
    }
  }
  return { data, width, height, channels };
}
