import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { GRPC_STATUS_BY_PIPELINE_CODE, PIPELINE_ERROR_CODE_KEY, RETRY_AFTER_KEY, fromServiceError, toServiceError } from './error-status';

function serviceError(code: status, details: string, pipelineCode?: string): Partial<ServiceError> {
  const metadata = new Metadata();
  if (pipelineCode) metadata.set(PIPELINE_ERROR_CODE_KEY, pipelineCode);
  return { code, details, metadata, message: `${code} ${status[code]}: ${details}` };
}

describe('toServiceError', () => {
  it.each([
    ['IMAGE_EMPTY', status.INVALID_ARGUMENT],
    ['IMAGE_UNREADABLE', status.INVALID_ARGUMENT],
    ['IMAGE_UNSUPPORTED_FORMAT', status.INVALID_ARGUMENT],
    ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
    ['IMAGE_TOO_LARGE', status.RESOURCE_EXHAUSTED],
    ['IMAGE_TOO_MANY_PIXELS', status.RESOURCE_EXHAUSTED],
    ['QUEUE_FULL', status.RESOURCE_EXHAUSTED],
    ['MODEL_UNAVAILABLE', status.UNAVAILABLE],
    ['STAGE_UNAVAILABLE', status.UNAVAILABLE],
    ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED],
    ['UNAUTHENTICATED', status.UNAUTHENTICATED],
    ['PERMISSION_DENIED', status.PERMISSION_DENIED],
    ['NOT_FOUND', status.NOT_FOUND],
    ['INTERNAL', status.INTERNAL],
  ] as const)('maps %s to gRPC %s and names the code in a trailer', (code, grpcStatus) => {
    const answer = toServiceError(new PipelineError(code, `failed with ${code}`));
    expect(answer.code).toBe(grpcStatus);
    expect(answer.details).toBe(`failed with ${code}`);
    expect(answer.metadata?.get(PIPELINE_ERROR_CODE_KEY)).toEqual([code]);
  });

  it('covers every pipeline code', () => {
    expect(Object.keys(GRPC_STATUS_BY_PIPELINE_CODE).sort()).toEqual(Object.keys(PipelineErrorCode).sort());
  });

  it('answers anything else as INTERNAL with its message', () => {
    const answer = toServiceError(new TypeError('x is not a function'));
    expect(answer).toMatchObject({ code: status.INTERNAL, details: 'x is not a function' });
    expect(answer.metadata?.get(PIPELINE_ERROR_CODE_KEY)).toEqual(['INTERNAL']);
  });

  it('keeps internal addresses and paths out of a failure on our side', () => {
    const missing = new PipelineError('MODEL_UNAVAILABLE', 'u2netp.onnx: no such file /srv/models/u2netp.onnx');
    expect(toServiceError(missing)).toMatchObject({ code: status.UNAVAILABLE, details: 'u2netp.onnx: no such file <internal path>' });
  });

  it('passes a queue’s retry-after on', () => {
    const full = Object.assign(new PipelineError('QUEUE_FULL', 'full'), { retryAfterSeconds: 3 });
    expect(toServiceError(full).metadata?.get(RETRY_AFTER_KEY)).toEqual(['3']);
  });
});

describe('fromServiceError', () => {
  it('restores the exact pipeline code from the trailer', () => {
    const error = fromServiceError(serviceError(status.RESOURCE_EXHAUSTED, 'image is 80 MB', 'IMAGE_TOO_LARGE'), 'uploader at a:1');
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.message).toBe('uploader at a:1: image is 80 MB');
  });

  it.each([
    [status.UNAVAILABLE, 'STAGE_UNAVAILABLE'],
    [status.DEADLINE_EXCEEDED, 'DEADLINE_EXCEEDED'],
    [status.RESOURCE_EXHAUSTED, 'QUEUE_FULL'],
    [status.INVALID_ARGUMENT, 'INVALID_ARGUMENT'],
    [status.NOT_FOUND, 'NOT_FOUND'],
    [status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    [status.PERMISSION_DENIED, 'PERMISSION_DENIED'],
    [status.UNKNOWN, 'INTERNAL'],
    [status.INTERNAL, 'INTERNAL'],
  ] as const)('infers from gRPC %s without a trailer: %s', (grpcStatus, code) => {
    expect(fromServiceError(serviceError(grpcStatus, 'no trailer')).code).toBe(code);
  });

  it.each(['Sent message larger than max (116402659 vs. 67108864)', 'Received message larger than max (77000000 vs. 67108864)'])(
    "reads grpc-js's own size refusal as IMAGE_TOO_LARGE, never QUEUE_FULL: %s",
    (details) => {
      expect(fromServiceError(serviceError(status.RESOURCE_EXHAUSTED, details)).code).toBe('IMAGE_TOO_LARGE');
    },
  );

  it('ignores a trailer that is not a pipeline code', () => {
    expect(fromServiceError(serviceError(status.UNAVAILABLE, 'x', 'constructor')).code).toBe('STAGE_UNAVAILABLE');
  });

  it('round-trips every code', () => {
    for (const code of Object.values(PipelineErrorCode)) {
      const answer = toServiceError(new PipelineError(code, 'm'));
      expect(fromServiceError(answer as Partial<ServiceError>).code).toBe(code);
    }
  });
});
