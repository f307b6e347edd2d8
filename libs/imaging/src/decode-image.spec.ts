import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type DecodedImage } from './decode-image';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import {
  catchPipelineError,
  makeAnimatedGif,
  makeBadCrcPng,
  makeCmykJpeg,
  makeExifRotatedJpeg,
  makeGreyscalePng,
  makeImageAs,
  makePalettePng,
  makePngBomb,
  makeSixteenBitPng,
  makeTruncatedJpeg,
  makeTruncatedPng,
  readTestPhotos,
  testPhotoPath,
} from './testing';

const limits = DEFAULT_IMAGE_LIMITS;

const pixel = (image: DecodedImage, x: number, y: number) =>
  Array.from(image.data.subarray((y * image.width + x) * image.channels, (y * image.width + x + 1) * image.channels));

/** Every pixel within `tolerance` of `expected`, channel by channel. */
function expectUniform(image: DecodedImage, expected: number[], tolerance = 0) {
  for (let p = 0; p < image.width * image.height; p++) {
    for (let c = 0; c < image.channels; c++) {
      const value = image.data[p * image.channels + c];
      if (Math.abs(value - expected[c]) > tolerance) {
        throw new Error(`pixel ${p} channel ${c} is ${value}, expected ${expected[c]} ± ${tolerance}`);
      }
    }
  }
}

describe('decodeImage', () => {
  it('decodes the repository photos to 8-bit sRGB RGB, greyscale ones too', async () => {
    const photos = await readTestPhotos();
    const decoded = await Promise.all(photos.map(async ({ name, bytes }) => [name, await decodeImage(bytes, limits)] as const));
    for (const [, image] of decoded) expect(image.data.length).toBe(image.width * image.height * image.channels);
    const summarise = (i: DecodedImage) => `${i.format} ${i.width}×${i.height}×${i.channels}`;
    expect(Object.fromEntries(decoded.map(([name, image]) => [name, summarise(image)]))).toEqual({
      'astronaut.png': 'png 512×512×3',
      'camera.png': 'png 512×512×3',
      'chelsea.png': 'png 451×300×3',
      'coffee.png': 'png 600×400×3',
      'eagle.jpg': 'jpeg 800×885×3',
      'rocket.jpg': 'jpeg 640×427×3',
    });
  });

  it('keeps the alpha of a photo that has one', async () => {
    const translucent = await sharp(testPhotoPath('chelsea.png')).ensureAlpha(0.5).png().toBuffer();
    const image = await decodeImage(translucent, limits);
    expect(image).toMatchObject({ format: 'png', width: 451, height: 300, channels: 4 });
    expect(Math.abs(pixel(image, 200, 150)[3] - 128)).toBeLessThanOrEqual(1);
  });

  it('converts 16-bit PNG to 8 bits', async () => {
    const image = await decodeImage(await makeSixteenBitPng(32, 24), limits);
    expect(image).toMatchObject({ format: 'png', width: 32, height: 24, channels: 3 });
    expectUniform(image, [200, 100, 50]);
  });

  it('converts CMYK JPEG to sRGB', async () => {
    const image = await decodeImage(await makeCmykJpeg(32, 24), limits);
    expect(image).toMatchObject({ format: 'jpeg', channels: 3 });
    expectUniform(image, [230, 120, 30], 40);
  });

  it('expands greyscale to three equal channels', async () => {
    const image = await decodeImage(await makeGreyscalePng(32, 24), limits);
    expect(image.channels).toBe(3);
    expectUniform(image, [90, 90, 90]);
  });

  it('expands a palette PNG with transparency to RGBA', async () => {
    const image = await decodeImage(await makePalettePng(32, 24), limits);
    expect(image).toMatchObject({ format: 'png', channels: 4 });
    expectUniform(image, [10, 200, 30, 128], 2);
  });

  it('takes the first frame of an animated GIF, as RGB when it has no transparency', async () => {
    const image = await decodeImage(await makeAnimatedGif(24, 16), limits);
    expect(image).toMatchObject({ format: 'gif', width: 24, height: 16, channels: 3 });
    expectUniform(image, [255, 0, 0], 8);
  });

  it('keeps the alpha of a GIF with a transparent pixel', async () => {
    const rgba = new Uint8Array(4 * 4 * 4).fill(255);
    rgba[3] = 0;
    const gif = await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } }).gif().toBuffer();
    const image = await decodeImage(gif, limits);
    expect(image).toMatchObject({ format: 'gif', channels: 4 });
    expect(pixel(image, 0, 0)[3]).toBe(0);
    expect(pixel(image, 1, 0)[3]).toBe(255);
  });

  it('applies EXIF orientation 6: width and height swap, the left half ends on top', async () => {
    const image = await decodeImage(await makeExifRotatedJpeg(40, 20), limits);
    expect(image).toMatchObject({ width: 20, height: 40, channels: 3 });
    expect(pixel(image, 10, 5)[0]).toBeGreaterThan(200);
    expect(pixel(image, 10, 34)[2]).toBeGreaterThan(200);
  });

  it.each(['webp', 'tiff', 'avif'] as const)('decodes %s', async (format) => {
    const image = await decodeImage(await makeImageAs(format, 32, 24), limits);
    expect(image).toMatchObject({ format, width: 32, height: 24, channels: 3 });
    expectUniform(image, [40, 80, 160], 4);
  });

  it.each([
    ['a truncated JPEG', makeTruncatedJpeg, /JPEG image \(120×80\) is truncated or corrupt: .+/],
    ['a truncated PNG', makeTruncatedPng, /PNG image \(120×80\) is truncated or corrupt: .+/],
    ['a PNG with a bad CRC', makeBadCrcPng, /PNG image \(120×80\) is truncated or corrupt: .+/],
  ])('rejects %s with IMAGE_UNREADABLE instead of grey garbage', async (_, make, message) => {
    const error = await catchPipelineError(decodeImage(await make(), limits));
    expect(error.code).toBe('IMAGE_UNREADABLE');
    expect(error.message).toMatch(message);
  });

  it('rejects a decompression bomb before decoding, whatever the pixel limit is set to', async () => {
    const error = await catchPipelineError(decodeImage(makePngBomb(), { ...limits, maxPixels: 1_000_000 }));
    expect(error.code).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(error.message).toBe('image is 100000×100000 = 10 GP, over the limit of 1 MP');
  });
});
