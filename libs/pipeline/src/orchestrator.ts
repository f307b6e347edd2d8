import {
  PipelineError,
  PipelineErrorCode,
  STAGE_NAMES,
  type ProcessRequest,
  type ProcessResult,
  type StageName,
  type StageSpan,
} from '@imagepipeline/contracts';
import {
  resolveOrchestratorOptions,
  type OrchestratorOptions,
  type ResolvedOrchestratorOptions,
} from './orchestrator-options';
import { ByteBudget, type ByteBudgetStats } from './byte-budget';
import { classificationInput } from './classification-input';
import { estimateImageMemory } from './image-memory';
import { intermediateFile } from './intermediate-file';
import { validateProcessRequest, type ValidProcessRequest } from './process-request';
import type { StageClient } from './stage-client';
import { requireImage, stageFailure } from './stage-failure';
import { Admission, QueueFullError, type AdmissionStats } from '@imagepipeline/serving';
import { inSpan, recordSpan, SPAN_NAMES } from '@imagepipeline/telemetry';

/** Optional callbacks and cancellation for one `Orchestrator.process` call. */
export interface ProcessHooks {
  /** A stage call is starting (its queue wait is over). Errors thrown here are ignored. */
  onStageStart?(stage: StageName, startedAtMs: number): void;
  /** A stage finished successfully; `span` is final. Errors thrown here are ignored. */
  onStageDone?(span: StageSpan): void;
  /** Aborting it fails the image (DEADLINE_EXCEEDED unless the reason is a PipelineError). */
  signal?: AbortSignal;
}

/** Counters for metrics. `completed`, `failed` and `rejected` count images since construction. */
export interface OrchestratorStats {
  inFlightImages: number;
  maxInFlightImages: number;
  completed: number;
  failed: number;
  /** Images refused at admission with QUEUE_FULL. */
  rejected: number;
  /** Bytes the images in flight hold by estimate, and the images waiting for room. */
  memory: ByteBudgetStats;
  stages: Record<StageName, AdmissionStats>;
}

interface ImageRun {
  signal: AbortSignal;
  hooks: ProcessHooks;
  timeline: StageSpan[];
}

/**
 * The orchestrator core, independent of transport: it drives every image through upload →
 * noise_reduction → background_removal → classification, each stage behind its own bounded queue
 * and workers, so different images are in different stages at once (a pipeline).
 *
 * Classification runs on the denoised image, concurrently with background removal: both depend
 * only on the denoised image, so the critical path is upload + noise + max(background, classify).
 * The classifier is sent the denoised image already scaled to what its model looks at.
 * The uploader and noise reducer answer raw pixels, so no stage decodes what another encoded.
 * Images hold memory within a byte budget: one waits for room, by estimate, before its first stage.
 */
export class Orchestrator {
  /** The options in use, defaults filled in. */
  readonly options: ResolvedOrchestratorOptions;
  private readonly queues: Record<StageName, Admission>;
  private readonly memory: ByteBudget;
  /** Encoded bytes of the images waiting for room in the budget: they are in memory already. */
  private waitingBytes = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private counts = { completed: 0, failed: 0, rejected: 0 };
  private closing?: Promise<void>;

  /** @throws PipelineError INVALID_ARGUMENT listing every bad option */
  constructor(
    private readonly client: StageClient,
    options: OrchestratorOptions = {},
  ) {
    this.options = resolveOrchestratorOptions(options);
    const queues = {} as Record<StageName, Admission>;
    for (const name of STAGE_NAMES) {
      const { concurrency, queueCapacity: capacity, deadlineMs } = this.options.stages[name];
      queues[name] = new Admission({ name, concurrency, capacity, deadlineMs });
    }
    this.queues = queues;
    this.memory = new ByteBudget(this.options.memoryBudgetBytes);
  }

  /**
   * Processes one image through all stages and answers its result with a per-stage timeline.
   * Rejects at once with INVALID_ARGUMENT for a bad request, QUEUE_FULL (a `QueueFullError`) when
   * `maxInFlightImages` are in flight, STAGE_UNAVAILABLE once closing; later with the first stage
   * failure, whose message names the stage and whose code is the stage's own.
   */
  process(request: ProcessRequest, hooks: ProcessHooks = {}): Promise<ProcessResult> {
    const receivedAtMs = Date.now();
    let valid: ValidProcessRequest;
    try {
      valid = validateProcessRequest(request);
      this.checkAdmission(valid.image.data.length);
    } catch (error) {
      return Promise.reject(error);
    }
    const imageAttributes = { 'pipeline.image.file': valid.image.fileName, 'pipeline.image.bytes': valid.image.data.length };
    // The span ends where the result's total ends, so the trace and the timeline agree.
    const run = inSpan(SPAN_NAMES.orchestratorProcess, imageAttributes, async ({ setEndMs }) => {
      const result = await this.run(valid, receivedAtMs, hooks);
      setEndMs(result.receivedAtMs + result.totalMs);
      return result;
    }, { startMs: receivedAtMs });
    this.inFlight.add(run);
    run.then(
      () => (this.counts.completed += 1),
      () => (this.counts.failed += 1),
    ).finally(() => this.inFlight.delete(run));
    return run;
  }

  /**
   * Throws the error `process` would reject with right now at admission for an image of `bytes`
   * (closing, `maxInFlightImages` reached, or too many bytes waiting for memory), so a caller that
   * answers before the image is done (the JobStore) can refuse at once, with its retry-after.
   */
  checkAdmission(bytes: number): void {
    if (this.closing) {
      throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'orchestrator is closing');
    }
    const bound = this.options.maxInFlightImages;
    if (this.inFlight.size >= bound) {
      this.counts.rejected += 1;
      throw new QueueFullError('pipeline', bound, this.retryAfterSeconds(), `${this.inFlight.size} images in flight`);
    }
    this.checkWaitingBytes(bytes);
  }

  /**
   * Refuses an image at once, QUEUE_FULL with a retry-after, when images already wait for memory
   * and their encoded bytes with this one's would pass a quarter of the budget: waiting images
   * hold their uploads, and a burst of large photos must not grow memory past the budget.
   */
  private checkWaitingBytes(bytes: number): void {
    const bound = Math.floor(this.options.memoryBudgetBytes / 4);
    if (this.memory.stats().waiting === 0 || this.waitingBytes + bytes <= bound) return;
    this.counts.rejected += 1;
    throw new QueueFullError('memory', bound, this.retryAfterSeconds(), `${this.waitingBytes + bytes} bytes of images waiting for memory`);
  }

  /** The longest of the stages' suggested waits: when a refused image may find room. */
  private retryAfterSeconds(): number {
    return Math.max(...STAGE_NAMES.map((name) => this.queues[name].retryAfterSeconds()));
  }

  /** Counters now: images in flight and per-stage queue stats. */
  stats(): OrchestratorStats {
    const stages = {} as Record<StageName, AdmissionStats>;
    for (const name of STAGE_NAMES) stages[name] = this.queues[name].stats();
    const { maxInFlightImages } = this.options;
    return { inFlightImages: this.inFlight.size, maxInFlightImages, ...this.counts, memory: this.memory.stats(), stages };
  }

  /**
   * Drains: admits no new image, lets every admitted image finish (each is bounded by its stage
   * deadlines), then closes the stage queues. Does not close the StageClient.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await Promise.all(STAGE_NAMES.map((name) => this.queues[name].close()));
    })();
    return this.closing;
  }

  private async run(request: ValidProcessRequest, receivedAtMs: number, hooks: ProcessHooks): Promise<ProcessResult> {
    const image = new AbortController();
    const onAbort = () => image.abort(hooks.signal?.reason);
    if (hooks.signal?.aborted) onAbort();
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const ctx: ImageRun = { signal: image.signal, hooks, timeline: [] };
    let releaseMemory = () => {};
    try {
      // Memory grows with the budget, not with the queue: wait for room before the first stage.
      const encoded = request.image.data.length;
      this.waitingBytes += encoded;
      try {
        const bytes = await estimateImageMemory(request, this.options.maxPixels);
        releaseMemory = await this.memory.acquire(bytes, image.signal).catch((reason: unknown) => {
          throw PipelineError.from(reason, PipelineErrorCode.DEADLINE_EXCEEDED);
        });
      } finally {
        this.waitingBytes -= encoded;
      }
      const uploaded = await this.runStage(ctx, 'upload', async (signal) => {
        const response = await this.client.upload(request.image, signal);
        return { ...response, image: requireImage('upload', response.image) };
      });
      // Stages hand each other raw pixels; a caller who asks for intermediates gets PNG files,
      // encoded while the later stages run.
      const uploadedFile = request.includeIntermediates ? intermediateFile(uploaded.image) : undefined;
      const denoised = await this.runStage(ctx, 'noise_reduction', async (signal) => {
        const response = await this.client.reduceNoise(uploaded.image, signal);
        return { ...response, image: requireImage('noise_reduction', response.image) };
      });
      const denoisedFile = request.includeIntermediates ? intermediateFile(denoised.image) : undefined;
      // Both depend only on the denoised image; the first failure cancels the other.
      const cancelSibling = (error: unknown) => {
        image.abort(error);
        throw error;
      };
      const [removed, classified] = await Promise.all([
        this.runStage(ctx, 'background_removal', async (signal) => {
          const response = await this.client.removeBackground(denoised.image, signal);
          return { ...response, image: requireImage('background_removal', response.image) };
        }).catch(cancelSibling),
        this.runStage(ctx, 'classification', async (signal) =>
          this.client.classify(await classificationInput(denoised.image), request.topK, signal),
        ).catch(cancelSibling),
      ]);
      const timeline = ctx.timeline.sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage));
      return {
        fileName: request.image.fileName,
        processedImage: removed.image,
        label: classified.label,
        topK: classified.topK,
        timeline,
        receivedAtMs,
        totalMs: Date.now() - receivedAtMs,
        uploadId: uploaded.uploadId,
        uploadedImage: await uploadedFile,
        denoisedImage: await denoisedFile,
      };
    } finally {
      releaseMemory();
      hooks.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Runs one stage call through its queue and records its span on the image's timeline, and in
   * the trace (queue wait, then call) from the same clock readings, so both show the same times.
   */
  private async runStage<T extends { computeMs: number }>(
    ctx: ImageRun,
    stage: StageName,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const enqueuedAtMs = Date.now();
    let startedAtMs = enqueuedAtMs;
    let endedAtMs = enqueuedAtMs;
    let response: T;
    try {
      response = await this.queues[stage].enqueue(async (signal) => {
        startedAtMs = Date.now();
        const attributes = { 'pipeline.stage': stage };
        recordSpan(SPAN_NAMES.stageQueue(stage), attributes, { startMs: enqueuedAtMs, endMs: startedAtMs });
        ignoreErrors(() => ctx.hooks.onStageStart?.(stage, startedAtMs));
        const startMs = startedAtMs;
        return inSpan(SPAN_NAMES.stageCall(stage), attributes, async ({ setEndMs }) => {
          try {
            return await call(signal);
          } finally {
            endedAtMs = Date.now();
            setEndMs(endedAtMs);
          }
        }, { startMs });
      }, { signal: ctx.signal });
    } catch (error) {
      throw stageFailure(stage, error);
    }
    const observedMs = endedAtMs - startedAtMs;
    const span: StageSpan = { stage, enqueuedAtMs, startedAtMs, endedAtMs, observedMs, computeMs: response.computeMs };
    ctx.timeline.push(span);
    ignoreErrors(() => ctx.hooks.onStageDone?.(span));
    return response;
  }
}

function stageOrder(stage: string): number {
  return (STAGE_NAMES as readonly string[]).indexOf(stage);
}

/** Hooks belong to the caller (e.g. a stream that may already be closed); they never fail an image. */
function ignoreErrors(callback: () => void): void {
  try {
    callback();
  } catch {
    // deliberately ignored: see above
  }
}
