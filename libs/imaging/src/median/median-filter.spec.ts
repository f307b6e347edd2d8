import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../decode-image';
import { DEFAULT_IMAGE_LIMITS } from '../limits';
import type { RawImage } from '../raw-image';
import { catchPipelineError, makeRandomImage, referenceMedianFilter, testPhotoPath } from '../testing';
import { medianFilter, runMedian, stripPixelsFor } from './median-filter';

/** Index of the first differing byte, or -1: smaller failure output than comparing arrays. */
function firstDifference(actual: RawImage, expected: RawImage): number {
  expect([actual.width, actual.height, actual.channels]).toEqual([expected.width, expected.height, expected.channels]);
  expect(actual.data.length).toBe(expected.data.length);
  return actual.data.findIndex((value, i) => value !== expected.data[i]);
}

// Widths around the 16-byte chunk size (5×3 = 15, 6×3 = 18, 4×4 = 16), single rows and columns,
// odd and even heights, images smaller than the kernel.
const SIZES: [number, number][] = [
  [1, 1], [2, 3], [1, 9], [9, 1], [4, 4], [5, 5], [6, 7], [16, 2], [17, 13], [33, 20], [70, 11],
];

describe('medianFilter', () => {
  for (const kernelSize of [3, 5, 7]) {
    for (const channels of [3, 4] as const) {
      it(`k=${kernelSize}, ${channels} channels: equals the reference median byte for byte`, () => {
        SIZES.forEach(([width, height], i) => {
          const raw = makeRandomImage(width, height, channels, 1000 * kernelSize + 10 * channels + i);
          const at = firstDifference(medianFilter(raw, kernelSize), referenceMedianFilter(raw, kernelSize));
          expect(at, `${width}×${height}`).toBe(-1);
        });
      });
    }
  }

  it.each([9, 11, 13, 15])('k=%d: equals the reference median byte for byte', (kernelSize) => {
    for (const [width, height, channels] of [[23, 17, 3], [8, 19, 4], [3, 2, 3]] as const) {
      const raw = makeRandomImage(width, height, channels, kernelSize * width);
      expect(firstDifference(medianFilter(raw, kernelSize), referenceMedianFilter(raw, kernelSize))).toBe(-1);
    }
  });

  it('equals the reference on a real photo', async () => {
    const raw = await decodeImage(await readFile(testPhotoPath('rocket.jpg')), DEFAULT_IMAGE_LIMITS);
    expect(firstDifference(medianFilter(raw, 5), referenceMedianFilter(raw, 5))).toBe(-1);
  });

  it('handles wide rows (memory grows), pixels that are a view into a larger buffer, and leaves input alone', () => {
    const wide = makeRandomImage(1500, 6, 4, 3);
    const copy = Uint8Array.from(wide.data);
    const offset = 7;
    const backing = new Uint8Array(wide.data.length + 2 * offset);
    backing.set(wide.data, offset);
    const view = { ...wide, data: backing.subarray(offset, offset + wide.data.length) };
    expect(firstDifference(medianFilter(view, 5), referenceMedianFilter(wide, 5))).toBe(-1);
    expect(view.data).toEqual(copy);
  });

  it('stitches vertical strips seamlessly (wide images are filtered strip by strip)', () => {
    expect(stripPixelsFor(5, 3)).toBeGreaterThan(2000);
    expect(stripPixelsFor(15, 4)).toBeGreaterThanOrEqual(64);
    for (const [kernelSize, stripPixels] of [[3, 1], [5, 2], [5, 7], [7, 5], [15, 6]]) {
      const raw = makeRandomImage(29, 9, kernelSize === 7 ? 4 : 3, kernelSize + stripPixels);
      const at = firstDifference(runMedian(raw, kernelSize, stripPixels), referenceMedianFilter(raw, kernelSize));
      expect(at, `k=${kernelSize} strips of ${stripPixels}`).toBe(-1);
    }
  });

  it('replicates edges (BORDER_REPLICATE, not reflect): a bright last column survives k=3', () => {
    const data = Uint8Array.from([0, 0, 0, 0, 0, 0, 255, 255, 255]);
    const raw: RawImage = { data, width: 3, height: 1, channels: 3 };
    expect(Array.from(medianFilter(raw, 3).data)).toEqual([0, 0, 0, 0, 0, 0, 255, 255, 255]);
  });

  it('removes an isolated impulse and keeps alpha as it was', () => {
    const raw: RawImage = { data: new Uint8Array(5 * 5 * 4).fill(20), width: 5, height: 5, channels: 4 };
    raw.data.set([255, 255, 255, 99], 12 * 4);
    const out = medianFilter(raw, 3);
    expect(Array.from(out.data.subarray(12 * 4, 13 * 4))).toEqual([20, 20, 20, 99]);
  });

  it.each([4, 1, 17, 2.5, Number.NaN, '5'])('rejects kernelSize %j with INVALID_ARGUMENT', async (kernelSize) => {
    const error = await catchPipelineError(() => medianFilter(makeRandomImage(4, 4, 3), kernelSize as number));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/kernelSize must be an odd integer from 3 to 15, got /);
  });

  it('rejects an inconsistent image with INVALID_ARGUMENT', async () => {
    const raw: RawImage = { data: new Uint8Array(5), width: 2, height: 1, channels: 3 };
    const error = await catchPipelineError(() => medianFilter(raw));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});
