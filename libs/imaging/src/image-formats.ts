import { IMAGE_FORMATS, type ImageFormat } from '@imagepipeline/contracts';
import type { Metadata } from 'sharp';

const DISPLAY_NAMES: Record<ImageFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  tiff: 'TIFF',
  avif: 'AVIF',
};

/** `"JPEG, PNG, WebP, GIF, TIFF or AVIF"`, for messages that say what was expected. */
export const ACCEPTED_FORMATS_TEXT = `${IMAGE_FORMATS.slice(0, -1)
  .map((format) => DISPLAY_NAMES[format])
  .join(', ')} or ${DISPLAY_NAMES[IMAGE_FORMATS[IMAGE_FORMATS.length - 1]]}`;

/** The accepted format sharp found, or `undefined` with a name for the refused one. */
export function acceptedFormat(metadata: Pick<Metadata, 'format' | 'compression'>): ImageFormat | undefined {
  if (metadata.format === 'heif') return metadata.compression === 'av1' ? 'avif' : undefined;
  return (IMAGE_FORMATS as readonly string[]).includes(metadata.format) ? (metadata.format as ImageFormat) : undefined;
}

/** How a refused sharp format is named in messages (`heif` with HEVC → `"HEIF (hevc)"`). */
export function refusedFormatName(metadata: Pick<Metadata, 'format' | 'compression'>): string {
  if (metadata.format === 'heif') return `HEIF (${metadata.compression ?? 'unknown compression'})`;
  return String(metadata.format).toUpperCase();
}

/** `"JPEG"` for `'jpeg'`. */
export function formatDisplayName(format: ImageFormat): string {
  return DISPLAY_NAMES[format];
}
