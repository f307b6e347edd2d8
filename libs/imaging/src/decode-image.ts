import { PipelineError, PipelineErrorCode, type ImageFormat } from '@imagepipeline/contracts';
import sharp, { type OutputInfo } from 'sharp';
import { messageOf } from './error-message';
import { formatDisplayName } from './image-formats';
import { inspectImageHeader } from './inspect-image';
import type { ImageLimits } from './limits';
import type { RawImage } from './raw-image';
import { withoutAlpha } from './resize';

/** Decoded pixels and the format they came from. */
export type DecodedImage = RawImage & { format: ImageFormat };

/**
 * Validates like `inspectImage`, then decodes to 8-bit sRGB pixels:
 * - EXIF orientation applied (a 90° photo comes back with width and height swapped);
 * - the first frame of an animated GIF / WebP, the first page of a TIFF;
 * - CMYK, greyscale, 16-bit and palette images converted to 8-bit sRGB;
 * - alpha kept only when the input has it (`channels` 4), else RGB (`channels` 3).
 *
 * A truncated or corrupt body (a cut-off JPEG, a PNG with a bad CRC) is rejected with
 * `IMAGE_UNREADABLE` instead of decoding to grey garbage.
 */
export async function decodeImage(bytes: Uint8Array, limits: ImageLimits): Promise<DecodedImage> {
  const { format, metadata } = await inspectImageHeader(bytes, limits);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(bytes, {
      // 'error' stops on corrupt or truncated data (libjpeg/libpng errors, bad CRCs) but lets a
      // harmless warning through; 'truncated' would let a bad CRC pass.
      failOn: 'error',
      limitInputPixels: limits.maxPixels,
      autoOrient: true,
      pages: 1,
    })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = messageOf(error);
    const code = /pixel limit/i.test(message)
      ? PipelineErrorCode.IMAGE_TOO_MANY_PIXELS
      : PipelineErrorCode.IMAGE_UNREADABLE;
    throw new PipelineError(
      code,
      `${formatDisplayName(format)} image (${metadata.width}×${metadata.height}) is truncated or corrupt: ${message}`,
      { cause: error },
    );
  }
  const { info } = decoded;
  if (info.channels !== 3 && info.channels !== 4) {
    throw new PipelineError(
      PipelineErrorCode.INTERNAL,
      `decoding ${formatDisplayName(format)} gave ${info.channels} channels, expected 3 or 4`,
    );
  }
  const data = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length);
  const image: DecodedImage = { data, width: info.width, height: info.height, channels: info.channels, format };
  // libvips' GIF loader always adds alpha; keep it only if some pixel is transparent.
  return format === 'gif' && image.channels === 4 && isOpaque(data) ? { ...withoutAlpha(image), format } : image;
}

function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}
