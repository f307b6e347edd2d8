import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS, assertImageLimits } from './limits';
import { catchPipelineError } from './testing';

describe('image limits', () => {
  it('defaults to 50 MiB and 52 megapixels (a 50 MP camera photo fits)', () => {
    expect(DEFAULT_IMAGE_LIMITS).toEqual({ maxBytes: 52_428_800, maxPixels: 52_000_000 });
    expect(Object.isFrozen(DEFAULT_IMAGE_LIMITS)).toBe(true);
    expect(() => assertImageLimits(DEFAULT_IMAGE_LIMITS)).not.toThrow();
  });

  it.each([
    [{ maxBytes: 0, maxPixels: 1 }, /maxBytes must be a positive integer, got 0/],
    [{ maxBytes: 1, maxPixels: -5 }, /maxPixels must be a positive integer, got -5/],
    [{ maxBytes: 1.5, maxPixels: 1 }, /maxBytes .* got 1\.5/],
    [{ maxBytes: Number.NaN, maxPixels: 1 }, /maxBytes .* got NaN/],
    [{ maxBytes: '10', maxPixels: 1 }, /maxBytes .* got "10"/],
    [{ maxPixels: 1 }, /maxBytes .* got undefined/],
    [null, /limits must be an object, got null/],
  ])('rejects %j with INVALID_ARGUMENT', async (limits, message) => {
    const error = await catchPipelineError(() => assertImageLimits(limits as never));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});
