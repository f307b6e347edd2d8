import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineErrorCode } from '@imagepipeline/contracts';
import { scaleMask, type RawImage } from '@imagepipeline/imaging';
import { ForegroundSegmenter } from './index';
import { decodeTestPhoto } from './testing/decode-test-photo';
import { testModelOptions } from './testing/index';

/** Mean of the mask over a rectangle given in fractions of the image size. */
function regionMean(mask: Uint8Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number) {
  let sum = 0;
  let count = 0;
  for (let y = Math.floor(y0 * height); y < Math.ceil(y1 * height); y += 1) {
    for (let x = Math.floor(x0 * width); x < Math.ceil(x1 * width); x += 1) {
      sum += mask[y * width + x];
      count += 1;
    }
  }
  return sum / count;
}

describe('ForegroundSegmenter (real U2-Net-p)', () => {
  let segmenter: ForegroundSegmenter;

  beforeAll(async () => {
    segmenter = await ForegroundSegmenter.load({ ...testModelOptions(), intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await segmenter?.close();
  });

  it.each(['chelsea.png', 'coffee.png', 'eagle.jpg'])('masks %s at 320×320, foreground in the centre once scaled to the image', async (name) => {
    const image = await decodeTestPhoto(name);
    const modelMask = await segmenter.segment(image);
    expect(modelMask).toMatchObject({ width: 320, height: 320 });
    expect(modelMask.data.length).toBe(320 * 320);

    const { width, height } = image;
    const { data: mask } = scaleMask(modelMask, width, height);
    const centre = regionMean(mask, width, height, 0.4, 0.4, 0.6, 0.6);
    const corners =
      (regionMean(mask, width, height, 0, 0, 0.08, 0.08) +
        regionMean(mask, width, height, 0.92, 0, 1, 0.08) +
        regionMean(mask, width, height, 0, 0.92, 0.08, 1) +
        regionMean(mask, width, height, 0.92, 0.92, 1, 1)) /
      4;
    expect(centre).toBeGreaterThan(200);
    expect(corners).toBeLessThan(40);
  });

  it('ignores alpha: an RGBA image gives the same mask as its RGB pixels', async () => {
    const width = 48;
    const height = 32;
    const rgb = new Uint8Array(width * height * 3);
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i += 1) {
      const inside = Math.abs((i % width) - width / 2) < 10 && Math.abs(Math.floor(i / width) - height / 2) < 8;
      const value = inside ? 230 : 20;
      rgb.set([value, value / 2, 40], i * 3);
      rgba.set([value, value / 2, 40, i % 256], i * 4);
    }
    const fromRgb = await segmenter.segment({ data: rgb, width, height, channels: 3 });
    const fromRgba = await segmenter.segment({ data: rgba, width, height, channels: 4 });
    expect(Buffer.from(fromRgba.data).equals(Buffer.from(fromRgb.data))).toBe(true);
  });

  it('refuses an inconsistent raw image with INVALID_ARGUMENT', async () => {
    const bad: RawImage = { data: new Uint8Array(10), width: 4, height: 4, channels: 3 };
    await expect(segmenter.segment(bad)).rejects.toMatchObject({
      code: PipelineErrorCode.INVALID_ARGUMENT,
      message: expect.stringContaining('48'),
    });
  });
});
