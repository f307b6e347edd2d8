import { describe, expect, it } from 'vitest';
import { applyAlphaMask } from './alpha-mask';
import { catchPipelineError } from './testing';

describe('applyAlphaMask', () => {
  it('turns RGB into RGBA with a mask of the same size as alpha', () => {
    const raw = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 2, height: 1, channels: 3 as const };
    expect(applyAlphaMask(raw, { data: Uint8Array.from([0, 255]), width: 2, height: 1 })).toEqual({
      data: Uint8Array.from([1, 2, 3, 0, 4, 5, 6, 255]),
      width: 2,
      height: 1,
      channels: 4,
    });
  });

  it('replaces the alpha of RGBA and leaves the input alone', () => {
    const raw = { data: Uint8Array.from([1, 2, 3, 9, 4, 5, 6, 9]), width: 1, height: 2, channels: 4 as const };
    const mask = { data: Uint8Array.from([128, 7]), width: 1, height: 2 };
    expect(applyAlphaMask(raw, mask).data).toEqual(Uint8Array.from([1, 2, 3, 128, 4, 5, 6, 7]));
    expect(raw.data[3]).toBe(9);
  });

  it('scales a smaller mask bilinearly with pixel centres aligned', () => {
    // A 2×1 mask over a 4×1 image: source positions -0.25, 0.25, 0.75, 1.25 → clamped, blended.
    const raw = { data: new Uint8Array(4 * 3), width: 4, height: 1, channels: 3 as const };
    const alpha = applyAlphaMask(raw, { data: Uint8Array.from([0, 200]), width: 2, height: 1 }).data.filter((_, i) => i % 4 === 3);
    expect(Array.from(alpha)).toEqual([0, 50, 150, 200]);
  });

  it('scales a larger mask down to the image', () => {
    const raw = { data: new Uint8Array(3), width: 1, height: 1, channels: 3 as const };
    const mask = { data: Uint8Array.from([100, 100, 100, 100]), width: 2, height: 2 };
    expect(applyAlphaMask(raw, mask).data[3]).toBe(100);
  });

  it('rejects an inconsistent mask with INVALID_ARGUMENT', async () => {
    const raw = { data: new Uint8Array(4 * 3 * 3), width: 4, height: 3, channels: 3 as const };
    const error = await catchPipelineError(() => applyAlphaMask(raw, { data: new Uint8Array(11), width: 4, height: 3 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('alpha mask must be a positive width × height with one byte per pixel, got 4×3 and 11 bytes');
  });
});
