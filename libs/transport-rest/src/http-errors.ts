import { clientMessage, isPipelineErrorCode, PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** The one table from error code to HTTP status; the reverse direction is `pipelineErrorFromHttp`. */
export const HTTP_STATUS_BY_ERROR_CODE: Readonly<Record<PipelineErrorCode, number>> = Object.freeze({
  IMAGE_EMPTY: 400,
  IMAGE_UNREADABLE: 400,
  INVALID_ARGUMENT: 400,
  IMAGE_UNSUPPORTED_FORMAT: 415,
  IMAGE_TOO_LARGE: 413,
  IMAGE_TOO_MANY_PIXELS: 413,
  QUEUE_FULL: 429,
  MODEL_UNAVAILABLE: 503,
  STAGE_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  INTERNAL: 500,
});

/** The body of every error answer. */
export interface RestErrorBody {
  error: PipelineErrorCode;
  message: string;
}

/** What the server answers for an error: status, body and, for 429, a `Retry-After` in seconds. */
export interface RestErrorReply {
  statusCode: number;
  body: RestErrorBody;
  retryAfterSeconds?: number;
}

/** What the message of a body-size error names. */
export interface RestErrorContext {
  maxImageBytes?: number;
}

const ACCEPTED_CONTENT =
  'send multipart/form-data with the file in field "image", a raw image/* or application/octet-stream body, ' +
  'or application/json with base64 image.data';

/**
 * Maps anything a route, hook or Fastify itself threw to the answer the client gets. A
 * PipelineError keeps its code; Fastify's and @fastify/multipart's own errors (body too large,
 * unsupported content type, validation) are given the code that fits; anything else is INTERNAL.
 */
export function restErrorReply(error: unknown, context: RestErrorContext = {}): RestErrorReply {
  if (error instanceof PipelineError) {
    const statusCode = HTTP_STATUS_BY_ERROR_CODE[error.code] ?? 500;
    const retryAfterSeconds = statusCode === 429 ? retryAfterOf(error) : undefined;
    return { statusCode, body: { error: error.code, message: clientMessage(error) }, retryAfterSeconds };
  }
  const fastifyError = error as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown };
  const message = typeof fastifyError?.message === 'string' ? fastifyError.message : String(error);
  const limit = context.maxImageBytes ? ` of ${context.maxImageBytes} bytes` : '';
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return reply(413, 'IMAGE_TOO_LARGE', `the request is larger than the limit${limit}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return reply(415, 'IMAGE_UNSUPPORTED_FORMAT', `content type not accepted (${message}); ${ACCEPTED_CONTENT}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply(400, 'IMAGE_EMPTY', `the request body is empty; ${ACCEPTED_CONTENT}`);
    case 'FST_FILES_LIMIT':
      return reply(400, 'INVALID_ARGUMENT', 'expected exactly one file, in field "image"; got more');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return reply(400, 'INVALID_ARGUMENT', `too many multipart parts (${message})`);
  }
  if (fastifyError?.validation) return reply(400, 'INVALID_ARGUMENT', message);
  const status = typeof fastifyError?.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) return reply(status, errorCodeForHttpStatus(status), message);
  return reply(500, 'INTERNAL', 'internal error');
}

/**
 * The client's side of the table: turns an error answer back into the PipelineError the server
 * raised. A body with a known `error` code keeps it; otherwise the status decides.
 */
export function pipelineErrorFromHttp(statusCode: number, body: unknown, prefix = ''): PipelineError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = isPipelineErrorCode(fields.error) ? fields.error : errorCodeForHttpStatus(statusCode);
  const message = typeof fields.message === 'string' ? fields.message : `HTTP ${statusCode}`;
  return new PipelineError(code, prefix + message);
}

/** The code a client assumes for an error status that came without a code. */
export function errorCodeForHttpStatus(statusCode: number): PipelineErrorCode {
  switch (statusCode) {
    case 404:
      return 'NOT_FOUND';
    case 408:
    case 504:
      return 'DEADLINE_EXCEEDED';
    case 413:
      return 'IMAGE_TOO_LARGE';
    case 415:
      return 'IMAGE_UNSUPPORTED_FORMAT';
    case 429:
      return 'QUEUE_FULL';
    case 502:
    case 503:
      return 'STAGE_UNAVAILABLE';
    default:
      return statusCode >= 400 && statusCode < 500 ? 'INVALID_ARGUMENT' : 'INTERNAL';
  }
}

/** A QueueFullError carries its own estimate; any other QUEUE_FULL suggests one second. */
function retryAfterOf(error: PipelineError): number {
  const retry = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof retry === 'number' && Number.isFinite(retry) && retry >= 1 ? Math.ceil(retry) : 1;
}

function reply(statusCode: number, error: PipelineErrorCode, message: string): RestErrorReply {
  return { statusCode, body: { error, message } };
}
