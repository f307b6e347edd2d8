import type { ImageLimitsConfig } from './service-config';

/** The largest request a server takes and the largest answer it sends, in bytes. */
export interface MessageLimits {
  maxRequestBytes: number;
  maxResponseBytes: number;
}

/**
 * Room around an image in one message: protobuf tags and the other fields, multipart headers and
 * form fields, a long file name. An encoded image up to `maxBytes` always fits beside it, so the
 * stage, not the transport, refuses one just over the image limit, with its own code.
 */
export const MESSAGE_ENVELOPE_BYTES = 64 * 1024;

/**
 * The most bytes one image of at most `maxPixels` takes between stages: raw RGBA pixels, or the
 * stored (compression level 0) PNG of them, which adds a filter byte per row (at most one row per
 * pixel) and 5 bytes per 64 KiB deflate block.
 */
export function largestStageImageBytes(maxPixels: number): number {
  const scanlines = maxPixels * 4 + maxPixels;
  return scanlines + Math.ceil(scanlines / 65_535) * 5;
}

/**
 * A stage service's limits: it takes and answers one image of the pixel limit, encoded or raw,
 * so no stage refuses what an earlier one produced.
 */
export function stageMessageLimits(limits: ImageLimitsConfig): MessageLimits {
  const bytes = Math.max(limits.maxBytes, largestStageImageBytes(limits.maxPixels)) + MESSAGE_ENVELOPE_BYTES;
  return { maxRequestBytes: bytes, maxResponseBytes: bytes };
}

/**
 * The orchestrator's limits: it takes one encoded image of at most `maxBytes` (the uploader, its
 * first stage, checks the image itself) and answers the processed image with, when asked, the
 * uploaded and denoised intermediates: three images between stages.
 */
export function orchestratorMessageLimits(limits: ImageLimitsConfig): MessageLimits {
  return {
    maxRequestBytes: limits.maxBytes + MESSAGE_ENVELOPE_BYTES,
    maxResponseBytes: 3 * largestStageImageBytes(limits.maxPixels) + MESSAGE_ENVELOPE_BYTES,
  };
}
