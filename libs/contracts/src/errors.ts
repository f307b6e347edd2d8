/**
 * Every failure the pipeline reports has one stable code. Transports map codes to HTTP and gRPC
 * statuses in one table each; stages and libs only ever throw `PipelineError`.
 */
export const PipelineErrorCode = {
  /** No bytes at all. */
  IMAGE_EMPTY: 'IMAGE_EMPTY',
  /** Bytes that no decoder accepts, or a truncated / corrupt image. */
  IMAGE_UNREADABLE: 'IMAGE_UNREADABLE',
  /** A real format we refuse (SVG, PDF, HEIF without support, ...). */
  IMAGE_UNSUPPORTED_FORMAT: 'IMAGE_UNSUPPORTED_FORMAT',
  /** More bytes than the configured limit. */
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  /** Declared width × height over the pixel limit (decompression bombs land here). */
  IMAGE_TOO_MANY_PIXELS: 'IMAGE_TOO_MANY_PIXELS',
  /** A request field or option with a bad value. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A model file could not be found, verified or loaded. */
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  /** A bounded queue is full; retry later. */
  QUEUE_FULL: 'QUEUE_FULL',
  /** A downstream stage could not be reached. */
  STAGE_UNAVAILABLE: 'STAGE_UNAVAILABLE',
  /** A deadline passed before the work finished. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** A call without the credentials the service requires (no bearer token). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A call whose credentials do not grant access (a bearer token that is not the service's). */
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  /** The thing asked for does not exist (a job id, ...). */
  NOT_FOUND: 'NOT_FOUND',
  /** A bug or an unexpected failure. */
  INTERNAL: 'INTERNAL',
} as const;

export type PipelineErrorCode = (typeof PipelineErrorCode)[keyof typeof PipelineErrorCode];

export class PipelineError extends Error {
  override readonly name = 'PipelineError';

  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Wraps anything thrown into a PipelineError, keeping an existing one as it is. */
  static from(error: unknown, code: PipelineErrorCode = PipelineErrorCode.INTERNAL): PipelineError {
    if (error instanceof PipelineError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new PipelineError(code, message, { cause: error });
  }
}

export function isPipelineErrorCode(value: unknown): value is PipelineErrorCode {
  return typeof value === 'string' && Object.hasOwn(PipelineErrorCode, value);
}
