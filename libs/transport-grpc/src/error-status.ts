import { Metadata, status, type ServerErrorResponse, type ServiceError } from '@grpc/grpc-js';
import { clientMessage, PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** Trailing-metadata key that carries the exact `PipelineErrorCode` next to the gRPC status. */
export const PIPELINE_ERROR_CODE_KEY = 'pipeline-error-code';
/** Trailing-metadata key with a suggested wait in whole seconds, set when a queue is full. */
export const RETRY_AFTER_KEY = 'retry-after-seconds';

/** The one table from pipeline error codes to gRPC status codes. */
export const GRPC_STATUS_BY_PIPELINE_CODE: Readonly<Record<PipelineErrorCode, status>> = Object.freeze({
  IMAGE_EMPTY: status.INVALID_ARGUMENT,
  IMAGE_UNREADABLE: status.INVALID_ARGUMENT,
  IMAGE_UNSUPPORTED_FORMAT: status.INVALID_ARGUMENT,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  IMAGE_TOO_LARGE: status.RESOURCE_EXHAUSTED,
  IMAGE_TOO_MANY_PIXELS: status.RESOURCE_EXHAUSTED,
  QUEUE_FULL: status.RESOURCE_EXHAUSTED,
  MODEL_UNAVAILABLE: status.UNAVAILABLE,
  STAGE_UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  NOT_FOUND: status.NOT_FOUND,
  INTERNAL: status.INTERNAL,
});

/**
 * The pipeline code assumed for a gRPC status that arrives without `pipeline-error-code`
 * metadata: from grpc-js itself (connection refused, deadline, message too large) or a foreign server.
 */
const PIPELINE_CODE_BY_GRPC_STATUS: Partial<Record<status, PipelineErrorCode>> = {
  [status.INVALID_ARGUMENT]: PipelineErrorCode.INVALID_ARGUMENT,
  [status.OUT_OF_RANGE]: PipelineErrorCode.INVALID_ARGUMENT,
  [status.FAILED_PRECONDITION]: PipelineErrorCode.INVALID_ARGUMENT,
  [status.RESOURCE_EXHAUSTED]: PipelineErrorCode.QUEUE_FULL,
  [status.UNAVAILABLE]: PipelineErrorCode.STAGE_UNAVAILABLE,
  [status.UNIMPLEMENTED]: PipelineErrorCode.STAGE_UNAVAILABLE,
  [status.DEADLINE_EXCEEDED]: PipelineErrorCode.DEADLINE_EXCEEDED,
  [status.CANCELLED]: PipelineErrorCode.DEADLINE_EXCEEDED,
  [status.NOT_FOUND]: PipelineErrorCode.NOT_FOUND,
  [status.UNAUTHENTICATED]: PipelineErrorCode.UNAUTHENTICATED,
  [status.PERMISSION_DENIED]: PipelineErrorCode.PERMISSION_DENIED,
};

/**
 * Turns anything a handler threw into the status a grpc-js callback takes: the mapped code, the
 * message as details (without internal addresses and paths for a failure on our side: see
 * `clientMessage`) and the pipeline code (plus `retry-after-seconds` when known) as trailers.
 * A non-PipelineError becomes INTERNAL with its message.
 */
export function toServiceError(error: unknown): ServerErrorResponse {
  const pipelineError = PipelineError.from(error);
  const metadata = new Metadata();
  metadata.set(PIPELINE_ERROR_CODE_KEY, pipelineError.code);
  const retryAfter = (pipelineError as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) metadata.set(RETRY_AFTER_KEY, String(retryAfter));
  const details = clientMessage(pipelineError);
  return Object.assign(new Error(details), {
    code: GRPC_STATUS_BY_PIPELINE_CODE[pipelineError.code],
    details: details || pipelineError.code,
    metadata,
  });
}

/**
 * Restores the PipelineError behind a failed call: the exact code from the trailers when the server
 * sent one, else a code inferred from the gRPC status (UNAVAILABLE → STAGE_UNAVAILABLE,
 * RESOURCE_EXHAUSTED → QUEUE_FULL or, for grpc-js's own size refusal, IMAGE_TOO_LARGE; anything
 * unknown → INTERNAL). `context` prefixes the message,
 * e.g. `classifier at 10.0.0.5:50043`.
 */
export function fromServiceError(error: Partial<ServiceError>, context?: string): PipelineError {
  const sent = error.metadata?.get(PIPELINE_ERROR_CODE_KEY)[0];
  const details = error.details || error.message || `gRPC status ${statusName(error.code)}`;
  const code = isKnownCode(sent) ? sent : inferredCode(error.code, details);
  const message = context ? `${context}: ${details}` : details;
  return new PipelineError(code, message, { cause: error });
}

/**
 * grpc-js refuses a message over its size limit itself ("Sent/Received message larger than max
 * (N vs. M)"), with RESOURCE_EXHAUSTED and no trailer: that is a size problem no retry can fix,
 * not a full queue.
 */
function inferredCode(grpcStatus: number | undefined, details: string): PipelineErrorCode {
  if (grpcStatus === status.RESOURCE_EXHAUSTED && /message larger than max/i.test(details)) return PipelineErrorCode.IMAGE_TOO_LARGE;
  return PIPELINE_CODE_BY_GRPC_STATUS[grpcStatus as status] ?? PipelineErrorCode.INTERNAL;
}

/** The name of a gRPC status code, e.g. `RESOURCE_EXHAUSTED`, for logs and messages. */
export function statusName(code: number | undefined): string {
  return (code !== undefined && status[code]) || `UNKNOWN(${String(code)})`;
}

/** Own keys only: a trailer value such as `constructor` must not pass for a code. */
function isKnownCode(value: unknown): value is PipelineErrorCode {
  return typeof value === 'string' && Object.hasOwn(GRPC_STATUS_BY_PIPELINE_CODE, value);
}
