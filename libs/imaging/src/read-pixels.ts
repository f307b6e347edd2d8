import { PipelineError, PipelineErrorCode, RAW_PIXELS_FORMAT, type Image } from '@imagepipeline/contracts';
import { decodeImage } from './decode-image';
import { assertImageLimits, type ImageLimits } from './limits';
import type { RawImage } from './raw-image';
import { overPixelLimit } from './units';

/**
 * The pixels of an image message. Raw pixels (`format` "raw", what stages hand each other) are
 * checked against the pixel limit and their declared size, then used in place, without a copy; an
 * encoded image is validated and decoded by `decodeImage`.
 *
 * Raw pixels are refused with `IMAGE_TOO_MANY_PIXELS` over `limits.maxPixels`, and with
 * `INVALID_ARGUMENT` when `channels` is not 3 or 4 or the bytes do not match width × height × channels.
 */
export async function readPixels(image: Image, limits: ImageLimits): Promise<RawImage> {
  if (image.format !== RAW_PIXELS_FORMAT) return decodeImage(image.data, limits);
  assertImageLimits(limits);
  const { data, width, height, channels } = image;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width <= 0 || height <= 0) {
    throw invalid(`raw pixels need a positive width and height, got ${width}×${height}`);
  }
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_TOO_MANY_PIXELS,
      `raw image is ${overPixelLimit(width, height, limits.maxPixels)}`,
    );
  }
  if (channels !== 3 && channels !== 4) throw invalid(`raw pixels need channels 3 (RGB) or 4 (RGBA), got ${channels}`);
  const expected = pixels * channels;
  if (data.length !== expected) {
    throw invalid(`raw image has ${data.length} bytes, expected ${width}×${height}×${channels} = ${expected}`);
  }
  return { data, width, height, channels };
}

/** The wire form of raw pixels: `format` "raw" with their size and channels. */
export function rawPixelsImage(raw: RawImage, fileName: string): Image {
  const data = Buffer.isBuffer(raw.data) ? raw.data : Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  return { data, format: RAW_PIXELS_FORMAT, width: raw.width, height: raw.height, channels: raw.channels, fileName };
}

function invalid(message: string): PipelineError {
  return new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, message);
}
