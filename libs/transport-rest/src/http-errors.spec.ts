import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { QueueFullError } from '@imagepipeline/serving';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS_BY_ERROR_CODE, pipelineErrorFromHttp, restErrorReply } from './http-errors';

describe('the error code ↔ HTTP status table', () => {
  it('maps every code', () => {
    expect(Object.keys(HTTP_STATUS_BY_ERROR_CODE).sort()).toEqual(Object.keys(PipelineErrorCode).sort());
    expect(HTTP_STATUS_BY_ERROR_CODE).toMatchObject({
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
      NOT_FOUND: 404,
      INTERNAL: 500,
    });
  });

  it.each(Object.values(PipelineErrorCode))('round-trips %s through status and body', (code) => {
    const reply = restErrorReply(new PipelineError(code, 'why'));
    expect(reply.statusCode).toBe(HTTP_STATUS_BY_ERROR_CODE[code]);
    expect(reply.body).toEqual({ error: code, message: 'why' });
    const back = pipelineErrorFromHttp(reply.statusCode, reply.body);
    expect(back).toBeInstanceOf(PipelineError);
    expect(back).toMatchObject({ code, message: 'why' });
  });

  it('suggests a retry after a queue is full, from the QueueFullError when it has one', () => {
    expect(restErrorReply(new QueueFullError('classification', 8, 7, '8 waiting')).retryAfterSeconds).toBe(7);
    expect(restErrorReply(new PipelineError('QUEUE_FULL', 'full')).retryAfterSeconds).toBe(1);
    expect(restErrorReply(new PipelineError('INTERNAL', 'x')).retryAfterSeconds).toBeUndefined();
  });

  it("maps Fastify's own errors into the same shape", () => {
    const fastifyError = (code: string, statusCode: number, extra = {}) =>
      Object.assign(new Error(`${code} message`), { code, statusCode, ...extra });
    expect(restErrorReply(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), { maxImageBytes: 10 })).toMatchObject({
      statusCode: 413,
      body: { error: 'IMAGE_TOO_LARGE', message: 'the request is larger than the limit of 10 bytes' },
    });
    expect(restErrorReply(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).body.error).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(restErrorReply(fastifyError('FST_ERR_VALIDATION', 400, { validation: [{}] })).body.error).toBe('INVALID_ARGUMENT');
    expect(restErrorReply(fastifyError('FST_FILES_LIMIT', 413))).toMatchObject({ statusCode: 400, body: { error: 'INVALID_ARGUMENT' } });
    expect(restErrorReply(fastifyError('FST_SOMETHING', 404)).body.error).toBe('NOT_FOUND');
  });

  it('hides the message of an unexpected error', () => {
    expect(restErrorReply(new TypeError('secret detail'))).toEqual({
      statusCode: 500,
      body: { error: 'INTERNAL', message: 'internal error' },
    });
  });

  it('keeps internal addresses and paths out of a 5xx answer, not out of a 4xx one', () => {
    const down = new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'uploader at 10.0.0.5:50060: connect ECONNREFUSED 10.0.0.5:50060');
    expect(restErrorReply(down).body.message).toBe('uploader at <internal address>: connect ECONNREFUSED <internal address>');
    const bad = new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, 'topK: expected 0 to 1000, got 10.0.0.5:1');
    expect(restErrorReply(bad).body.message).toBe(bad.message);
  });

  it('lets a client read a status that came without a code', () => {
    expect(pipelineErrorFromHttp(503, 'Service Unavailable').code).toBe('STAGE_UNAVAILABLE');
    expect(pipelineErrorFromHttp(429, undefined).code).toBe('QUEUE_FULL');
    expect(pipelineErrorFromHttp(502, {}).code).toBe('STAGE_UNAVAILABLE');
    expect(pipelineErrorFromHttp(418, {}).code).toBe('INVALID_ARGUMENT');
    expect(pipelineErrorFromHttp(500, { error: 'NOT_A_CODE', message: 'm' })).toMatchObject({ code: 'INTERNAL', message: 'm' });
  });
});
