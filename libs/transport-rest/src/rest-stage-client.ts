import type { ClientSecurity, OrchestratorConfig, StageServiceName } from '@imagepipeline/config';
import {
  ClassifyResponse,
  Image as ImageMessage,
  IMAGE_FORMATS,
  PipelineError,
  PipelineErrorCode,
  RAW_PIXELS_FORMAT,
  REST_HEADERS,
  REST_IMAGE_MEDIA_TYPE,
  REST_RAW_PIXELS_MEDIA_TYPE,
  ReduceNoiseResponse,
  RemoveBackgroundResponse,
  stageTableRow,
  UploadResponse,
  type Image,
} from '@imagepipeline/contracts';
import type { StageClient } from '@imagepipeline/pipeline';
import { RetryPolicy, type AttemptOutcome, type RetryOptions } from '@imagepipeline/serving';
import type { Agent } from 'node:http';
import { bearerTokenHeader, clientTlsOptions, keepAliveAgent, schemeOf } from './client-security';
import { pipelineErrorFromHttp } from './http-errors';
import { Http2Sessions } from './http2-client';
import { httpRequest, jsonOrUndefined, type HttpAnswer, type HttpPoster } from './http-request';
import { mediaTypeOf } from './image-reply';
import { StageReplicas, type StageReplicasOptions } from './stage-replicas';

/**
 * Options of {@link RestStageClient}. The retry options (the serving core's policy) apply to a call
 * that found its stage unreachable, dropped mid-answer, refused (an h2c stream) or answering 503.
 */
export interface RestStageClientOptions extends RetryOptions {
  /** `host:port` of each stage service, or a comma-separated list of its replicas. */
  addresses: Readonly<Record<StageServiceName, string>>;
  /** How replicas are found and passed over when they fail (name lookup, refresh, down time). */
  replicas?: StageReplicasOptions;
  /**
   * How images travel: `binary` raw bodies and binary answers (default), or `json-base64`
   * JSON bodies `{ image: { data: <base64>, ... } }` and JSON answers (the original project's style).
   */
  encoding?: RestStageEncoding;
  /** Call the stages over HTTP/2 (h2c, or h2 over TLS: the stages must serve it) instead of HTTP/1.1. */
  http2?: boolean;
  /** TLS (when `ca` is set, with a client certificate for mutual TLS) and the bearer token sent with every call. */
  security?: ClientSecurity;
}

/** The wire form of images between the REST orchestrator and its stages. */
export type RestStageEncoding = 'binary' | 'json-base64';

const JSON_MEDIA_TYPE = 'application/json';

/** Stages hand each other raw pixels: no encode or decode between them. */
const RAW_OUTPUT = `?outputFormat=${RAW_PIXELS_FORMAT}`;

/** A binary answer: raw pixels from the uploader and noise reducer, a PNG from the background remover. */
const IMAGE_ANSWER_TYPES = `${REST_RAW_PIXELS_MEDIA_TYPE}, ${REST_IMAGE_MEDIA_TYPE}`;

/** Errors of node:http and node:http2 that mean the stage could not be reached or dropped the connection. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
]);

/**
 * The orchestrator's HTTP client to the four stage services, over node:http(s) with keep-alive
 * connections (see {@link httpRequest}), or over HTTP/2 (see {@link Http2Sessions}); TLS and a
 * bearer token as `security` says. Images go as binary bodies and come back binary, raw pixels between
 * stages and the background remover's PNG, with their metadata in headers (the classifier answers
 * JSON); with `encoding: 'json-base64'` the same bytes go and
 * come back as JSON with base64, the original project's style. Calls take turns over every replica
 * of a stage (see {@link StageReplicas}). Unreachable replicas and 503 answers are retried, on the
 * next replica, by the serving core's retry policy; every failure is a PipelineError (connection
 * refused: STAGE_UNAVAILABLE; the stage's own `{ error, message }` keeps its code).
 */
export class RestStageClient implements StageClient {
  private readonly replicas: Record<StageServiceName, StageReplicas>;
  private readonly retryPolicy: RetryPolicy;
  private readonly encoding: RestStageEncoding;
  private readonly closing = new AbortController();
  private readonly agent: Agent;
  private readonly http2?: Http2Sessions;
  private readonly post: HttpPoster;
  private readonly authorization: Record<string, string>;

  constructor(options: RestStageClientOptions) {
    const { security } = options;
    const replicas = { ...options.replicas, scheme: schemeOf(security) };
    this.replicas = Object.fromEntries(
      Object.entries(options.addresses).map(([stage, address]) => [stage, new StageReplicas(address, replicas)]),
    ) as Record<StageServiceName, StageReplicas>;
    this.retryPolicy = new RetryPolicy(options);
    this.encoding = options.encoding ?? 'binary';
    this.agent = keepAliveAgent(security);
    this.authorization = bearerTokenHeader(security);
    if (options.http2) this.http2 = new Http2Sessions(clientTlsOptions(security));
    this.post = this.http2?.post ?? ((url, post) => httpRequest(url, { ...post, method: 'POST', agent: this.agent }));
  }

  /** A client for the orchestrator's configured stage addresses, retries, image encoding, HTTP version, TLS and token. */
  static fromConfig(
    config: Pick<OrchestratorConfig, 'stageAddresses' | 'stageCallRetries'> &
      Partial<Pick<OrchestratorConfig, 'restStageEncoding' | 'restStageHttp2' | 'stageSecurity'>>,
  ): RestStageClient {
    return new RestStageClient({
      addresses: config.stageAddresses,
      retries: config.stageCallRetries,
      encoding: config.restStageEncoding === 'json' ? 'json-base64' : 'binary',
      http2: config.restStageHttp2,
      security: config.stageSecurity,
    });
  }

  upload(image: Image, signal: AbortSignal): Promise<UploadResponse> {
    if (this.encoding === 'json-base64') {
      return this.call('uploader', RAW_OUTPUT, image, signal, (r) => UploadResponse.fromJSON(r.json()));
    }
    return this.call('uploader', RAW_OUTPUT, image, signal, (response) => ({
      ...readImageAnswer('uploader', response, image),
      uploadId: response.header(REST_HEADERS.uploadId) ?? '',
    }));
  }

  reduceNoise(image: Image, signal: AbortSignal): Promise<ReduceNoiseResponse> {
    if (this.encoding === 'json-base64') {
      return this.call('noise-reducer', RAW_OUTPUT, image, signal, (r) => ReduceNoiseResponse.fromJSON(r.json()));
    }
    return this.call('noise-reducer', RAW_OUTPUT, image, signal, (response) => readImageAnswer('noise-reducer', response, image));
  }

  removeBackground(image: Image, signal: AbortSignal): Promise<RemoveBackgroundResponse> {
    if (this.encoding === 'json-base64') {
      return this.call('background-remover', '', image, signal, (r) => RemoveBackgroundResponse.fromJSON(r.json()));
    }
    return this.call('background-remover', '', image, signal, (response) => readImageAnswer('background-remover', response, image));
  }

  classify(image: Image, topK: number, signal: AbortSignal): Promise<ClassifyResponse> {
    const query = `?topK=${encodeURIComponent(topK)}`;
    return this.call('classifier', query, image, signal, (response) => ClassifyResponse.fromJSON(response.json()), true);
  }

  /** Aborts calls in flight; calls made afterwards reject with STAGE_UNAVAILABLE. */
  async close(): Promise<void> {
    this.closing.abort(new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'the stage client is closed'));
    this.agent.destroy();
    this.http2?.close();
  }

  /**
   * POSTs the image to the stage's route (from the stage table) with `query`, and reads the
   * successful answer with `read`, retrying an unreachable or 503 stage on its next replica; an
   * answer cut off mid-body counts as a dropped connection, so it is retried too.
   */
  private async call<T>(
    stage: StageServiceName,
    query: string,
    image: Image,
    callerSignal: AbortSignal,
    read: (response: HttpAnswer) => T,
    answersJson = false,
  ): Promise<T> {
    const signal = AbortSignal.any([callerSignal, this.closing.signal]);
    const { body, headers } = this.requestOf(image, answersJson);
    const path = stageTableRow(stage).restRoute + query;
    const replicas = this.replicas[stage];
    const attemptOnce = async (attemptNumber: number): Promise<AttemptOutcome<T>> => {
      const origin = await replicas.pick();
      const tryAnotherReplica = (failure: PipelineError): AttemptOutcome<T> => {
        replicas.markDown(origin);
        return { ok: false, failure };
      };
      let response: HttpAnswer;
      try {
        response = await this.post(origin + path, { body, headers, signal, serverName: replicas.serverNameOf(origin) });
        if (response.ok) return { ok: true, value: read(response) };
      } catch (error) {
        signal.throwIfAborted();
        return tryAnotherReplica(unreachableFailure(error, `${stage} at ${origin}`, attemptNumber));
      }
      const failure = pipelineErrorFromHttp(response.status, jsonOrUndefined(response), `${stage}: `);
      if (response.status !== 503) throw failure;
      return tryAnotherReplica(failure);
    };
    try {
      return await this.retryPolicy.run(attemptOnce, signal);
    } catch (error) {
      throw signal.aborted ? abortError(stage, signal) : error;
    }
  }

  /** The body and headers of a stage request in this client's encoding. */
  private requestOf(image: Image, answersJson: boolean): { body: Buffer | string; headers: Record<string, string> } {
    if (this.encoding === 'json-base64') {
      const body = JSON.stringify({ image: ImageMessage.toJSON(image) });
      return { body, headers: { ...this.authorization, 'content-type': JSON_MEDIA_TYPE, accept: JSON_MEDIA_TYPE } };
    }
    const headers: Record<string, string> = {
      ...this.authorization,
      'content-type': bodyTypeOf(image),
      accept: answersJson ? JSON_MEDIA_TYPE : IMAGE_ANSWER_TYPES,
    };
    if (image.fileName) headers[REST_HEADERS.fileName] = encodeURIComponent(image.fileName);
    if (image.format === RAW_PIXELS_FORMAT) {
      headers[REST_HEADERS.imageWidth] = String(image.width);
      headers[REST_HEADERS.imageHeight] = String(image.height);
      headers[REST_HEADERS.imageChannels] = String(image.channels);
    }
    return { body: image.data, headers };
  }

}

/**
 * A request that failed before a whole answer came, as a failure worth another attempt when the
 * stage could not be reached or dropped the connection; any other failure is thrown.
 */
function unreachableFailure(error: unknown, where: string, attemptNumber: number): PipelineError {
  if (error instanceof PipelineError) throw error;
  const code = networkErrorCode(error);
  if (code === undefined || !UNREACHABLE_CODES.has(code)) throw PipelineError.from(error, PipelineErrorCode.STAGE_UNAVAILABLE);
  return new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, `cannot reach ${where} (${code}) after ${attemptNumber} attempt(s)`, {
    cause: error,
  });
}

/** The body's content type: raw pixels, else the image's format when known (the stage still checks the bytes). */
function bodyTypeOf(image: Image): string {
  const known = image.format === RAW_PIXELS_FORMAT || (IMAGE_FORMATS as readonly string[]).includes(image.format);
  return known ? mediaTypeOf(image) : 'application/octet-stream';
}

/** A binary image answer: the bytes, with the other Image fields and computeMs from headers. */
function readImageAnswer(stage: StageServiceName, response: HttpAnswer, sent: Image): { image: Image; computeMs: number } {
  const type = response.header('content-type') ?? '';
  const raw = type.startsWith(REST_RAW_PIXELS_MEDIA_TYPE);
  if (!raw && !type.startsWith('image/')) {
    throw new PipelineError(PipelineErrorCode.INTERNAL, `${stage} answered ${type || 'no content type'}, expected an image`);
  }
  const data = response.body;
  const header = (name: string) => response.header(name);
  const fileName = header(REST_HEADERS.fileName);
  return {
    image: {
      data,
      format: raw ? RAW_PIXELS_FORMAT : (header(REST_HEADERS.imageFormat) ?? type.slice('image/'.length)),
      width: Number(header(REST_HEADERS.imageWidth) ?? 0),
      height: Number(header(REST_HEADERS.imageHeight) ?? 0),
      fileName: fileName === null ? sent.fileName : safeDecode(fileName),
      channels: Number(header(REST_HEADERS.imageChannels) ?? 0),
    },
    computeMs: Number(header(REST_HEADERS.computeMs) ?? 0),
  };
}

/** The caller's abort reason when it is a PipelineError, else DEADLINE_EXCEEDED. */
function abortError(stage: StageServiceName, signal: AbortSignal): PipelineError {
  const reason: unknown = signal.reason;
  if (reason instanceof PipelineError) return reason;
  const detail = reason instanceof Error ? reason.message : String(reason);
  return new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `${stage} call aborted (${detail})`, { cause: reason });
}

/** The `code` of a request failure: its cause's when it has one (a cancelled HTTP/2 stream's is the connection's), else its own. */
function networkErrorCode(error: unknown): string | undefined {
  let found: string | undefined;
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found = code;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
