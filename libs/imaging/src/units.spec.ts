import { describe, expect, it } from 'vitest';
import { formatBytes, formatPixels, overPixelLimit } from './units';

describe('units in messages', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [50 * 1024 * 1024, '50 MiB'],
    [65_536_000, '62.5 MiB'],
  ])('formatBytes(%d) = %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [640, '640 px'],
    [40_000_000, '40 MP'],
    [12_345_678, '12.3 MP'],
    [120_000 * 90_000, '10.8 GP'],
    [1e10, '10 GP'],
  ])('formatPixels(%d) = %s', (pixels, text) => expect(formatPixels(pixels)).toBe(text));

  it('names exact pixel counts where rounding would show the limit twice', () => {
    expect(overPixelLimit(120_000, 90_000, 52_000_000)).toBe('120000×90000 = 10.8 GP, over the limit of 52 MP');
    expect(overPixelLimit(2000, 1501, 3_000_000)).toBe('2000×1501 = 3002000 px, over the limit of 3000000 px');
  });
});
