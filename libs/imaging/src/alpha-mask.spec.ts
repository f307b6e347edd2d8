import { describe, expect, it } from 'vitest';
import { applyAlphaMask } from './alpha-mask';
import { catchPipelineError } from './testing';

describe('applyAlphaMask', () => {
  it('turns RGB into RGBA with the mask as alpha', () => {
    const raw = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 2, height: 1, channels: 3 as const };
    expect(applyAlphaMask(raw, Uint8Array.from([0, 255]))).toEqual({
      data: Uint8Array.from([1, 2, 3, 0, 4, 5, 6, 255]),
      width: 2,
      height: 1,
      channels: 4,
    });
  });

  it('replaces the alpha of RGBA and leaves the input alone', () => {
    const raw = { data: Uint8Array.from([1, 2, 3, 9, 4, 5, 6, 9]), width: 1, height: 2, channels: 4 as const };
    expect(applyAlphaMask(raw, Uint8Array.from([128, 7])).data).toEqual(Uint8Array.from([1, 2, 3, 128, 4, 5, 6, 7]));
    expect(raw.data[3]).toBe(9);
  });

  it('rejects a mask of the wrong size with INVALID_ARGUMENT', async () => {
    const raw = { data: new Uint8Array(4 * 3 * 3), width: 4, height: 3, channels: 3 as const };
    const error = await catchPipelineError(() => applyAlphaMask(raw, new Uint8Array(11)));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('alpha mask must be a Uint8Array of 4×3 = 12 bytes, got 11 bytes');
  });
});
