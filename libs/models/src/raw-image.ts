import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { RawImage } from '@imagepipeline/imaging';

/** Throws `INVALID_ARGUMENT` unless `image` is a consistent 8-bit RGB or RGBA raw image. */
export function assertRawImage(image: RawImage): void {
  const { data, width, height, channels } = image ?? ({} as RawImage);
  const fail = (what: string) => {
    throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `raw image: ${what}`);
  };
  if (!(data instanceof Uint8Array)) fail(`data must be a Uint8Array, got ${typeName(data)}`);
  if (!Number.isInteger(width) || width < 1) fail(`width must be a positive integer, got ${String(width)}`);
  if (!Number.isInteger(height) || height < 1) fail(`height must be a positive integer, got ${String(height)}`);
  if (channels !== 3 && channels !== 4) fail(`channels must be 3 or 4, got ${String(channels)}`);
  if (data.length !== width * height * channels) {
    fail(`data must hold width × height × channels = ${width * height * channels} bytes, got ${data.length}`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * The image's RGB bytes: the data itself for RGB, a copy without the alpha bytes for RGBA.
 * Alpha is dropped before any resize: sharp would otherwise premultiply it into the colours.
 */
export function rgbBytes(image: RawImage): Uint8Array {
  if (image.channels === 3) return image.data;
  const pixels = image.width * image.height;
  const rgb = new Uint8Array(pixels * 3);
  const { data } = image;
  for (let i = 0, s = 0, d = 0; i < pixels; i += 1, s += 4, d += 3) {
    rgb[d] = data[s];
    rgb[d + 1] = data[s + 1];
    rgb[d + 2] = data[s + 2];
  }
  return rgb;
}
