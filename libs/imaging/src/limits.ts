import { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_PIXELS, PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** What an incoming image may cost before any pixel is decoded. */
export interface ImageLimits {
  /** Largest encoded size accepted, in bytes. */
  maxBytes: number;
  /** Largest `width × height` accepted, read from the header (decompression bombs stop here). */
  maxPixels: number;
}

/** 50 MiB and 52 megapixels: room for a 50 MP camera photo, not for a decompression bomb. */
export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxBytes: DEFAULT_MAX_IMAGE_BYTES,
  maxPixels: DEFAULT_MAX_PIXELS,
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
