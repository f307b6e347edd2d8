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
import { pipelineErrorFromHttp } from './http-errors';

/** Options of {@link RestOrchestratorClient}. */
export interface RestOrchestratorClientOptions {
  /** How often a job's state is asked for; default 100 ms. */
  pollIntervalMs?: number;
  /** Longest wait for one image's whole pipeline; default 5 minutes. */
  timeoutMs?: number;
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
 */
export class RestOrchestratorClient implements OrchestratorClient {
  private readonly baseUrl: string;
  private readonly closing = new AbortController();

  constructor(
    address: string,
    private readonly options: RestOrchestratorClientOptions = {},
  ) {
    this.baseUrl = `http://${address}`;
  }

  async process(image: Image, options: ProcessOptions): Promise<ProcessResult> {
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.timeoutMs ?? 300_000)]);
    const query = `?topK=${options.topK}&includeIntermediates=${options.includeIntermediates}`;
    const submitted = await this.request(`${REST_ROUTES.jobs}${query}`, signal, {
      method: 'POST',
      body: image.data,
      headers: { 'content-type': 'application/octet-stream', [REST_HEADERS.fileName]: encodeURIComponent(image.fileName) },
    });
    const { id } = (await submitted.json()) as { id: string };
    let reported = 0;
    for (;;) {
      const job = (await (await this.request(`${jobPath(REST_ROUTES.job, id)}?images=false`, signal)).json()) as JobState;
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
      return { ...image, data: Buffer.from(await response.arrayBuffer()) };
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
  }

  /** One HTTP call; a non-2xx answer becomes its PipelineError, an unreachable server STAGE_UNAVAILABLE. */
  private async request(path: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { ...init, signal });
    } catch (error) {
      const code = signal.aborted ? PipelineErrorCode.DEADLINE_EXCEEDED : PipelineErrorCode.STAGE_UNAVAILABLE;
      throw new PipelineError(code, `orchestrator at ${this.baseUrl}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) {
      throw pipelineErrorFromHttp(response.status, await response.json().catch(() => undefined), `orchestrator: `);
    }
    return response;
  }
}
