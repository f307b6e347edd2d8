import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import sharp from 'sharp';
import type { RawImage } from './raw-image';
import { assertRawImage } from './raw-image-check';

/** Options for `encodePng`. */
export interface EncodePngOptions {
  /** zlib level 0 (none) to 9 (smallest). Default 1. */
  compressionLevel?: number;
}

/**
 * Level 1 by default: stages hand each other PNGs, so encode time is on every image's critical
 * path, while the bytes only cross a local network. On the eight seed photos level 1 encodes in
 * about half the time of level 6 for a file about 15% larger.
 */
const DEFAULT_COMPRESSION_LEVEL = 1;

/** Encodes 8-bit RGB or RGBA pixels as PNG (alpha kept when `channels` is 4). */
export async function encodePng(raw: RawImage, options: EncodePngOptions = {}): Promise<Buffer> {
  assertRawImage(raw);
  const compressionLevel = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `compressionLevel must be an integer from 0 to 9, got ${compressionLevel}`,
    );
  }
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } })
    .png({ compressionLevel, adaptiveFiltering: false })
    .toBuffer();
}
