import { setTimeout as delay } from 'node:timers/promises';
import {
  PipelineError,
  isPipelineErrorCode,
  jobPath,
  PipelineErrorCode,
  ProcessResult,
  REST_HEADERS,
  REST_ROUTES,
  StageSpan,
  type Image,
  type JobImage,
} from '@imagepipeline/contracts';
import type { OrchestratorClient, ProcessOptions } from '@imagepipeline/client';
import type { ClientSecurity } from '@imagepipeline/config';
import type { Agent } from 'node:http';
import { bearerTokenHeader, keepAliveAgent, schemeOf } from './client-security';
import { pipelineErrorFromHttp } from './http-errors';
import { httpRequest, jsonOrUndefined, type HttpAnswer, type HttpRequestOptions } from './http-request';

/** Options of {@link RestOrchestratorClient}. */
export interface RestOrchestratorClientOptions {
  /** How often a job's state is asked for; default 100 ms. */
  pollIntervalMs?: number;
  /** Longest wait for one image's whole pipeline; default 5 minutes. */
  timeoutMs?: number;
  /** TLS (when `ca` is set, with a client certificate for mutual TLS) and the bearer token sent with every call. */
  security?: ClientSecurity;
}

interface JobState {
  status: 'queued' | 'running' | 'done' | 'failed';
  timeline?: unknown[];
  result?: unknown;
  error?: { error?: string; message?: string };
}

/**
 * The pipeline client's REST view of the orchestrator, in the original project's asynchronous
 * style: `POST /v1/jobs` with the raw image, then `GET /v1/jobs/:id?images=false` until done,
 * reporting each stage as it appears in the job's timeline, then each image from
 * `GET /v1/jobs/:id/image` as binary (a camera photo's images are too big for one JSON answer).
 * Over node:http(s) on keep-alive connections (see {@link httpRequest}), TLS and a bearer token as
 * `options.security` says.
 */
export class RestOrchestratorClient implements OrchestratorClient {
  private readonly baseUrl: string;
  private readonly closing = new AbortController();
  private readonly agent: Agent;
  private readonly authorization: Record<string, string>;

  constructor(
    address: string,
    private readonly options: RestOrchestratorClientOptions = {},
  ) {
    this.baseUrl = `${schemeOf(options.security)}://${address}`;
    this.agent = keepAliveAgent(options.security);
    this.authorization = bearerTokenHeader(options.security);
  }

  async process(image: Image, options: ProcessOptions): Promise<ProcessResult> {
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.timeoutMs ?? 300_000)]);
    const query = `?topK=${options.topK}&includeIntermediates=${options.includeIntermediates}`;
    const submitted = await this.request(`${REST_ROUTES.jobs}${query}`, signal, {
      method: 'POST',
      body: image.data,
      headers: { 'content-type': 'application/octet-stream', [REST_HEADERS.fileName]: encodeURIComponent(image.fileName) },
    });
    const { id } = submitted.json() as { id: string };
    let reported = 0;
    for (;;) {
      const job = (await this.request(`${jobPath(REST_ROUTES.job, id)}?images=false`, signal)).json() as JobState;
      const timeline = job.timeline ?? [];
      for (; reported < timeline.length; reported++) options.onStageDone?.(StageSpan.fromJSON(timeline[reported]));
      if (job.status === 'done') return this.withImageBytes(id, ProcessResult.fromJSON(job.result), signal);
      if (job.status === 'failed') {
        const code = isPipelineErrorCode(job.error?.error) ? job.error.error : PipelineErrorCode.INTERNAL;
        throw new PipelineError(code, job.error?.message ?? `job ${id} failed`);
      }
      await delay(this.options.pollIntervalMs ?? 100, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Fills in the bytes of the result's images, each read from the job's image route. */
  private async withImageBytes(id: string, result: ProcessResult, signal: AbortSignal): Promise<ProcessResult> {
    const bytesOf = async (image: Image | undefined, which: JobImage): Promise<Image | undefined> => {
      if (!image) return undefined;
      const response = await this.request(`${jobPath(REST_ROUTES.jobImage, id)}?which=${which}`, signal);
      return { ...image, data: response.body };
    };
    const [processedImage, uploadedImage, denoisedImage] = await Promise.all([
      bytesOf(result.processedImage, 'processed'),
      bytesOf(result.uploadedImage, 'uploaded'),
      bytesOf(result.denoisedImage, 'denoised'),
    ]);
    return { ...result, processedImage, uploadedImage, denoisedImage };
  }

  async close(): Promise<void> {
    this.closing.abort(new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'the orchestrator client is closed'));
    this.agent.destroy();
  }

  /**
   * One HTTP call (a GET unless `request` says otherwise); a non-2xx answer becomes its
   * PipelineError, an unreachable server (or a refused TLS handshake) STAGE_UNAVAILABLE.
   */
  private async request(
    path: string,
    signal: AbortSignal,
    request: Partial<Pick<HttpRequestOptions, 'method' | 'body' | 'headers'>> = {},
  ): Promise<HttpAnswer> {
    const { method = 'GET', body, headers } = request;
    let response: HttpAnswer;
    try {
      response = await httpRequest(this.baseUrl + path, { method, body, headers: { ...this.authorization, ...headers }, signal, agent: this.agent });
    } catch (error) {
      const code = signal.aborted ? PipelineErrorCode.DEADLINE_EXCEEDED : PipelineErrorCode.STAGE_UNAVAILABLE;
      throw new PipelineError(code, `orchestrator at ${this.baseUrl}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw pipelineErrorFromHttp(response.status, jsonOrUndefined(response), `orchestrator: `);
    return response;
  }
}
