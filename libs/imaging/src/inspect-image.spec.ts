import { describe, expect, it } from 'vitest';
import { inspectImage } from './inspect-image';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import {
  catchPipelineError,
  makeAnimatedGif,
  makeExifRotatedJpeg,
  makeHeicHeader,
  makeImageAs,
  makePdfHeader,
  makePngBomb,
  makeSvg,
  makeTextBytes,
  readTestPhotos,
} from './testing';

const limits = DEFAULT_IMAGE_LIMITS;

/** A minimal BMP header (BITMAPINFOHEADER): a real format that sharp cannot read. */
function bmpHeader(): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + 12, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(2, 22);
  return Buffer.concat([header, Buffer.alloc(12)]);
}

describe('inspectImage', () => {
  it.each(['webp', 'gif', 'tiff', 'avif'] as const)('reads format and size of %s from the header', async (format) => {
    expect(await inspectImage(await makeImageAs(format, 32, 24), limits)).toEqual({ format, width: 32, height: 24 });
  });

  it('reads format and size of the repository photos from their headers', async () => {
    const photos = await readTestPhotos();
    const summarise = async (bytes: Uint8Array) => {
      const { format, width, height } = await inspectImage(bytes, limits);
      return `${format} ${width}×${height}`;
    };
    const described = await Promise.all(photos.map(async ({ name, bytes }) => [name, await summarise(bytes)]));
    expect(Object.fromEntries(described)).toEqual({
      'astronaut.png': 'png 512×512',
      'camera.png': 'png 512×512',
      'chelsea.png': 'png 451×300',
      'coffee.png': 'png 600×400',
      'eagle.jpg': 'jpeg 800×885',
      'rocket.jpg': 'jpeg 640×427',
    });
  });

  it('reports the displayed size of an EXIF-rotated JPEG', async () => {
    const info = await inspectImage(await makeExifRotatedJpeg(40, 20), limits);
    expect(info).toEqual({ format: 'jpeg', width: 20, height: 40 });
  });

  it('reports one frame of an animated GIF', async () => {
    expect(await inspectImage(await makeAnimatedGif(24, 16), limits)).toEqual({ format: 'gif', width: 24, height: 16 });
  });

  it('rejects no bytes with IMAGE_EMPTY', async () => {
    const error = await catchPipelineError(inspectImage(new Uint8Array(0), limits));
    expect(error.code).toBe('IMAGE_EMPTY');
    expect(error.message).toMatch(/empty \(0 bytes\); expected .*JPEG, PNG, WebP, GIF, TIFF or AVIF/);
  });

  it('rejects more than maxBytes with IMAGE_TOO_LARGE before decoding anything', async () => {
    const error = await catchPipelineError(inspectImage(makeTextBytes(), { maxBytes: 16, maxPixels: 100 }));
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.message).toBe('image is 41 B (41 bytes), over the limit of 16 B');
  });

  it('rejects a decompression bomb from its header with IMAGE_TOO_MANY_PIXELS', async () => {
    const bomb = makePngBomb(120_000, 90_000);
    expect(bomb.length).toBeLessThan(200);
    const error = await catchPipelineError(inspectImage(bomb, limits));
    expect(error.code).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(error.message).toBe('image is 120000×90000 = 10.8 GP, over the limit of 52 MP');
  });

  it.each([
    ['plain text', makeTextBytes()],
    ['random bytes', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255))],
    ['a PNG signature alone', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['a JPEG start-of-image marker alone', Buffer.from([0xff, 0xd8, 0xff])],
  ])('rejects %s with IMAGE_UNREADABLE', async (_, bytes) => {
    const error = await catchPipelineError(inspectImage(bytes, limits));
    expect(error.code).toBe('IMAGE_UNREADABLE');
    expect(error.message).toMatch(/^image bytes are not a readable JPEG, PNG, WebP, GIF, TIFF or AVIF image/);
    expect(error.message).toMatch(/\(\d+ bytes, starting [0-9a-f ]+\): .+/);
  });

  it.each([
    ['SVG', makeSvg()],
    ['PDF', makePdfHeader()],
    ['HEIF', makeHeicHeader()],
    ['BMP', bmpHeader()],
  ])('rejects %s with IMAGE_UNSUPPORTED_FORMAT', async (name, bytes) => {
    const error = await catchPipelineError(inspectImage(bytes, limits));
    expect(error.code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(error.message).toBe(`image format ${name} is not supported; expected JPEG, PNG, WebP, GIF, TIFF or AVIF`);
  });

  it('rejects bad arguments with INVALID_ARGUMENT', async () => {
    expect((await catchPipelineError(inspectImage('abc' as never, limits))).code).toBe('INVALID_ARGUMENT');
    expect((await catchPipelineError(inspectImage(makeSvg(), { maxBytes: 0, maxPixels: 1 }))).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
