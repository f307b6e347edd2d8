import { describe, expect, it } from 'vitest';
import { medianFilter } from './median/median-filter';
import { noiseLevel } from './noise-level';
import { makeNoisyGradient } from './testing';

describe('noiseLevel', () => {
  it('is 0 for a flat image and for a linear gradient', () => {
    expect(noiseLevel({ data: new Uint8Array(8 * 8 * 3).fill(77), width: 8, height: 8, channels: 3 })).toBe(0);
    const gradient = new Uint8Array(8 * 8 * 4).map((_, i) => ((i >> 2) % 8) * 10 + Math.floor(i / 32) * 3);
    expect(noiseLevel({ data: gradient, width: 8, height: 8, channels: 4 })).toBe(0);
  });

  it('rises with noise', () => {
    const clean = makeNoisyGradient({ saltAndPepper: 0, gaussianSigma: 0 });
    const noisy = makeNoisyGradient();
    expect(noiseLevel(clean)).toBeLessThan(2);
    expect(noiseLevel(noisy)).toBeGreaterThan(10 * noiseLevel(clean));
  });

  it.each([3, 4] as const)('drops when the median denoises a noisy gradient (%d channels)', (channels) => {
    const noisy = makeNoisyGradient({ channels, width: 120, height: 80 });
    const before = noiseLevel(noisy);
    const after = noiseLevel(medianFilter(noisy, 5));
    expect(after).toBeLessThan(before / 3);
  });
});
