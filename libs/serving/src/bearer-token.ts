import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The SHA-256 of a token: equal lengths for a constant-time comparison, whatever was sent. */
const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Checks a call's `authorization` value (header or metadata) against the service's token, before
 * the call is admitted: none needed when the service has no token. Answers the refusal:
 * UNAUTHENTICATED (401) when no bearer token came, PERMISSION_DENIED (403) when another one did.
 */
export function bearerTokenRefusal(expected: string | undefined, authorization: string | undefined): PipelineError | undefined {
  if (expected === undefined) return undefined;
  const sent = BEARER.exec(authorization ?? '')?.[1];
  if (sent === undefined) {
    return new PipelineError(PipelineErrorCode.UNAUTHENTICATED, 'this service requires a bearer token (authorization: Bearer <token>)');
  }
  if (!timingSafeEqual(digest(sent), digest(expected))) return new PipelineError(PipelineErrorCode.PERMISSION_DENIED, 'the bearer token is not accepted');
  return undefined;
}
