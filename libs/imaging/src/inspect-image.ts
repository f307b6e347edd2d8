import { PipelineError, PipelineErrorCode, type ImageFormat } from '@imagepipeline/contracts';
import sharp, { type Metadata } from 'sharp';
import { messageOf } from './error-message';
import { ACCEPTED_FORMATS_TEXT, acceptedFormat, refusedFormatName } from './image-formats';
import { assertImageLimits, type ImageLimits } from './limits';
import { sniffRefusedFormat } from './refused-formats';
import { formatBytes, overPixelLimit } from './units';

/** What the header of an accepted image says. */
export interface ImageInfo {
  /** Found from the bytes, never from a file name. */
  format: ImageFormat;
  /** Width as displayed, after EXIF orientation (what `decodeImage` returns). */
  width: number;
  /** Height as displayed, after EXIF orientation. */
  height: number;
}

/** Inspection result plus the sharp metadata `decodeImage` needs (not exported from the lib). */
export interface InspectedImage extends ImageInfo {
  metadata: Metadata;
}

/**
 * Checks untrusted image bytes against `limits` from the header alone, before any pixel is decoded.
 *
 * Rejects with a `PipelineError`:
 * - `IMAGE_EMPTY`: no bytes;
 * - `IMAGE_TOO_LARGE`: more than `limits.maxBytes` (checked before sharp sees the bytes);
 * - `IMAGE_UNREADABLE`: not an image sharp can parse (garbage, text, a broken header);
 * - `IMAGE_UNSUPPORTED_FORMAT`: a real format other than JPEG, PNG, WebP, GIF, TIFF, AVIF
 *   (SVG, PDF, HEIC, BMP, ...);
 * - `IMAGE_TOO_MANY_PIXELS`: declared `width × height` over `limits.maxPixels`, so a decompression
 *   bomb fails fast with bounded memory.
 *
 * A truncated or corrupt body can still pass here (only the header is read); `decodeImage` catches it.
 */
export async function inspectImage(bytes: Uint8Array, limits: ImageLimits): Promise<ImageInfo> {
  const { format, width, height } = await inspectImageHeader(bytes, limits);
  return { format, width, height };
}

/** `inspectImage`, also returning sharp's metadata (not exported from the lib). */
export async function inspectImageHeader(bytes: Uint8Array, limits: ImageLimits): Promise<InspectedImage> {
  assertImageLimits(limits);
  if (!(bytes instanceof Uint8Array)) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `image bytes must be a Uint8Array, got ${typeof bytes}`,
    );
  }
  if (bytes.length === 0) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_EMPTY,
      `image is empty (0 bytes); expected the bytes of a ${ACCEPTED_FORMATS_TEXT} image`,
    );
  }
  if (bytes.length > limits.maxBytes) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_TOO_LARGE,
      `image is ${formatBytes(bytes.length)} (${bytes.length} bytes), ` +
        `over the limit of ${formatBytes(limits.maxBytes)}`,
    );
  }
  const metadata = await readMetadata(bytes);
  const format = acceptedFormat(metadata);
  if (!format) throw unsupported(refusedFormatName(metadata));
  const { width, height } = metadata;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width <= 0 || height <= 0) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_UNREADABLE,
      `${format.toUpperCase()} header declares an invalid size ${width}×${height}`,
    );
  }
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_TOO_MANY_PIXELS,
      `image is ${overPixelLimit(width, height, limits.maxPixels)}`,
    );
  }
  const oriented = metadata.autoOrient ?? { width, height };
  return { format, width: oriented.width, height: oriented.height, metadata };
}

async function readMetadata(bytes: Uint8Array): Promise<Metadata> {
  const refused = sniffRefusedFormat(bytes);
  try {
    // Header only; the pixel limit is ours to check, with our message.
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    if (refused) throw unsupported(refused, error);
    throw new PipelineError(
      PipelineErrorCode.IMAGE_UNREADABLE,
      `image bytes are not a readable ${ACCEPTED_FORMATS_TEXT} image (${describeStart(bytes)}): ${messageOf(error)}`,
      { cause: error },
    );
  }
}

function unsupported(name: string, cause?: unknown): PipelineError {
  return new PipelineError(
    PipelineErrorCode.IMAGE_UNSUPPORTED_FORMAT,
    `image format ${name} is not supported; expected ${ACCEPTED_FORMATS_TEXT}`,
    { cause },
  );
}

/** `"starts with 68 65 6c 6c 6f 20 77 6f"`: enough to tell text, HTML or a zip from an image. */
function describeStart(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes, starting ${hex}`;
}
