import { PipelineErrorCode, type PipelineError } from './errors';

/**
 * Codes of failures on the service's side (5xx over REST, UNAVAILABLE / DEADLINE_EXCEEDED /
 * INTERNAL over gRPC). Their messages come from inside: sockets, file systems, other services.
 */
const SERVER_SIDE_CODES: ReadonlySet<PipelineErrorCode> = new Set([
  PipelineErrorCode.MODEL_UNAVAILABLE,
  PipelineErrorCode.STAGE_UNAVAILABLE,
  PipelineErrorCode.DEADLINE_EXCEEDED,
  PipelineErrorCode.INTERNAL,
]);

const INTERNAL_ADDRESS = '<internal address>';
const INTERNAL_PATH = '<internal path>';

const ADDRESSES = [
  /\[[0-9a-fA-F:.]+\](?::\d+)?/g, // [::1]:50040
  /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, // 10.0.0.5:50040, 10.0.0.5
  /\b[a-zA-Z][\w.-]*:\d{2,5}\b/g, // uploader:50040, localhost:50060
];
const FILE_URLS = /\bfile:\/\/\S+/g;
/** Absolute paths of two segments or more, where a path can start: after a space, quote, bracket or `=`. */
const PATHS = /(?<=^|[\s'"(=[])(?:\/[\w.@+~-]+){2,}\/?/g;

/**
 * The message a client gets for `error`: as it is for a failure of the request (it says what was
 * wrong), and without internal addresses and file paths for a failure on our side (the logs keep
 * the full message).
 */
export function clientMessage(error: Pick<PipelineError, 'code' | 'message'>): string {
  if (!SERVER_SIDE_CODES.has(error.code)) return error.message;
  let message = error.message.replace(FILE_URLS, INTERNAL_PATH);
  for (const pattern of ADDRESSES) message = message.replace(pattern, INTERNAL_ADDRESS);
  return message.replace(PATHS, INTERNAL_PATH);
}
