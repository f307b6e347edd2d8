import { describe, expect, it } from 'vitest';
import { resizeShortSide, withoutAlpha } from './resize';

describe('withoutAlpha', () => {
  it('returns RGB as it is and copies RGBA without its alpha', () => {
    const rgb = { data: Uint8Array.from([1, 2, 3]), width: 1, height: 1, channels: 3 as const };
    expect(withoutAlpha(rgb)).toBe(rgb);
    const rgba = { data: Uint8Array.from([1, 2, 3, 9, 4, 5, 6, 9]), width: 2, height: 1, channels: 4 as const };
    expect(withoutAlpha(rgba)).toEqual({ data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 2, height: 1, channels: 3 });
  });
});

describe('resizeShortSide', () => {
  const flat = (width: number, height: number, channels: 3 | 4) => ({ data: new Uint8Array(width * height * channels).fill(80), width, height, channels });

  it('scales the shorter side to the given size, keeping the aspect', async () => {
    const resized = await resizeShortSide(flat(1000, 600, 3), 256);
    expect(resized).toMatchObject({ width: 427, height: 256, channels: 3 });
    expect(resized.data.length).toBe(427 * 256 * 3);
    expect(resized.data.every((value) => value === 80)).toBe(true);
  });

  it('scales up a smaller image and drops alpha', async () => {
    expect(await resizeShortSide(flat(10, 20, 4), 256)).toMatchObject({ width: 256, height: 512, channels: 3 });
  });

  it('leaves an image of that size as it is', async () => {
    const image = flat(300, 256, 3);
    expect(await resizeShortSide(image, 256)).toBe(image);
  });
});
