import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeCutOutPng, scaleMask } from './alpha-mask';
import { catchPipelineError } from './testing';

describe('scaleMask', () => {
  it('returns a mask of the right size as it is', () => {
    const mask = { data: Uint8Array.from([0, 255]), width: 2, height: 1 };
    expect(scaleMask(mask, 2, 1)).toBe(mask);
  });

  it('scales a smaller mask up bilinearly with pixel centres aligned', () => {
    // A 2×1 mask over 4 columns: source positions -0.25, 0.25, 0.75, 1.25 → clamped, blended.
    expect(Array.from(scaleMask({ data: Uint8Array.from([0, 200]), width: 2, height: 1 }, 4, 1).data)).toEqual([0, 50, 150, 200]);
    expect(Array.from(scaleMask({ data: Uint8Array.from([0, 200]), width: 1, height: 2 }, 1, 4).data)).toEqual([0, 50, 150, 200]);
  });

  it('scales a larger mask down', () => {
    expect(scaleMask({ data: Uint8Array.from([100, 100, 100, 100]), width: 2, height: 2 }, 1, 1).data).toEqual(Uint8Array.from([100]));
  });

  it('rejects an inconsistent mask with INVALID_ARGUMENT', async () => {
    const error = await catchPipelineError(() => scaleMask({ data: new Uint8Array(11), width: 4, height: 3 }, 8, 6));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('alpha mask must be a positive width × height with one byte per pixel, got 4×3 and 11 bytes');
  });
});

describe('encodeCutOutPng', () => {
  const pixelsOf = async (png: Buffer) => sharp(png).raw().toBuffer({ resolveWithObject: true });

  it('encodes RGB pixels with the scaled mask as alpha: an RGBA PNG at the image size', async () => {
    const raw = { data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), width: 4, height: 1, channels: 3 as const };
    const { data, info } = await pixelsOf(await encodeCutOutPng(raw, { data: Uint8Array.from([0, 200]), width: 2, height: 1 }));
    expect(info).toMatchObject({ width: 4, height: 1, channels: 4 });
    expect(Array.from(data)).toEqual([1, 2, 3, 0, 4, 5, 6, 50, 7, 8, 9, 150, 10, 11, 12, 200]);
  });

  it('replaces the alpha an RGBA image had and leaves its pixels alone', async () => {
    const raw = { data: Uint8Array.from([1, 2, 3, 9, 4, 5, 6, 9]), width: 1, height: 2, channels: 4 as const };
    const { data } = await pixelsOf(await encodeCutOutPng(raw, { data: Uint8Array.from([128, 7]), width: 1, height: 2 }));
    expect(Array.from(data)).toEqual([1, 2, 3, 128, 4, 5, 6, 7]);
    expect(raw.data[3]).toBe(9);
  });
});
