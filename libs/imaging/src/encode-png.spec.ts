import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image';
import { encodePng } from './encode-png';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import { catchPipelineError, makeRandomImage } from './testing';

describe('encodePng', () => {
  it.each([3, 4] as const)('round-trips %d-channel pixels exactly', async (channels) => {
    const raw = makeRandomImage(37, 21, channels, channels);
    const png = await encodePng(raw);
    expect(Array.from(png.subarray(1, 4), (byte) => String.fromCharCode(byte)).join('')).toBe('PNG');
    const decoded = await decodeImage(png, DEFAULT_IMAGE_LIMITS);
    expect(decoded).toMatchObject({ format: 'png', width: 37, height: 21, channels });
    expect(Buffer.from(decoded.data).equals(Buffer.from(raw.data))).toBe(true);
  });

  it('compresses harder when asked', async () => {
    const raw = { ...makeRandomImage(64, 64, 3), data: new Uint8Array(64 * 64 * 3).map((_, i) => (i >> 5) & 255) };
    const fast = await encodePng(raw, { compressionLevel: 0 });
    const small = await encodePng(raw, { compressionLevel: 9 });
    expect(small.length).toBeLessThan(fast.length);
  });

  it.each([-1, 10, 2.5, Number.NaN])('rejects compressionLevel %s with INVALID_ARGUMENT', async (compressionLevel) => {
    const error = await catchPipelineError(encodePng(makeRandomImage(4, 4, 3), { compressionLevel }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/compressionLevel must be an integer from 0 to 9, got/);
  });

  it('rejects pixels that do not match the declared size', async () => {
    const error = await catchPipelineError(encodePng({ data: new Uint8Array(10), width: 4, height: 4, channels: 3 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('image: data has 10 bytes, expected 4×4×3 = 48');
  });
});
