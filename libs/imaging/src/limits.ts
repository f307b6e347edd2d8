import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** What an incoming image may cost before any pixel is decoded. */
export interface ImageLimits {
  /** Largest encoded size accepted, in bytes. */
  maxBytes: number;
  /** Largest `width × height` accepted, read from the header (decompression bombs stop here). */
  maxPixels: number;
}

/** 50 MiB and 40 megapixels: room for any camera photo, not for a decompression bomb. */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 40_000_000,
});

/**
 * Throws `INVALID_ARGUMENT` unless both limits are positive safe integers, naming the field, what
 * was expected and what arrived.
 */
export function assertImageLimits(limits: ImageLimits): void {
  if (typeof limits !== 'object' || limits === null) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `image limits must be an object, got ${String(limits)}`,
    );
  }
  for (const field of ['maxBytes', 'maxPixels'] as const) {
    const value: unknown = limits[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      const got = typeof value === 'number' ? String(value) : JSON.stringify(value);
      throw new PipelineError(
        PipelineErrorCode.INVALID_ARGUMENT,
        `image limit ${field} must be a positive integer, got ${got}`,
      );
    }
  }
}
