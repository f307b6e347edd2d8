import { randomUUID } from 'node:crypto';
import {
  PipelineError,
  PipelineErrorCode,
  type ProcessRequest,
  type ProcessResult,
  type StageName,
  type StageSpan,
} from '@imagepipeline/contracts';
import type { Orchestrator } from './orchestrator';
import { validateProcessRequest } from './process-request';
import { QueueFullError } from '@imagepipeline/serving';

/** Where a job is: admitted and waiting for its first stage, in a stage, or finished. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** Why a job failed, as transports report it. */
export interface JobError {
  code: PipelineErrorCode;
  message: string;
}

/** A snapshot of one job. `result` is set when done, `error` when failed. */
export interface JobView {
  id: string;
  status: JobStatus;
  submittedAtMs: number;
  finishedAtMs?: number;
  result?: ProcessResult;
  error?: JobError;
  /** Stages finished so far, in the order they finished. */
  stagesDone: StageName[];
  /** The spans of the stages finished so far, in the same order: progress with its times. */
  timeline: StageSpan[];
}

/** JobStore limits. */
export interface JobStoreOptions {
  /** How long a finished job stays readable, in ms (default `DEFAULT_JOB_TTL_MS`, 10 min). */
  ttlMs?: number;
  /** Jobs kept at once, finished or not (default `DEFAULT_MAX_JOBS`); results hold images in memory. */
  maxJobs?: number;
  /** Image bytes the finished jobs' results may hold together (default `DEFAULT_MAX_RESULT_BYTES`). */
  maxResultBytes?: number;
}

/** Job counts by status, for metrics. */
export type JobStoreStats = Record<JobStatus, number> & { jobs: number };

/** Finished jobs stay readable this long by default: 10 minutes. */
export const DEFAULT_JOB_TTL_MS = 10 * 60 * 1000;
/** Jobs kept at once by default; twice the default admission bound, so finished results can wait. */
export const DEFAULT_MAX_JOBS = 256;
/** Result bytes kept at once by default: 1 GiB, a few dozen camera photos with their intermediates. */
export const DEFAULT_MAX_RESULT_BYTES = 1024 * 1024 * 1024;
/** Suggested retry when the store is full of unfinished jobs. */
const STORE_FULL_RETRY_AFTER_S = 5;

interface Job extends JobView {
  expiry?: NodeJS.Timeout;
  finished: Promise<unknown>;
  /** A client has read the job's outcome: its result with the processed image, or its error. */
  collected?: boolean;
  /** Image bytes its result holds. */
  resultBytes: number;
}

/** Reading a job: whether this read hands its outcome to the client (the image, not just the status). */
export interface JobRead {
  collects?: boolean;
}

/** What the store needs from the orchestrator. */
export type JobProcessor = Pick<Orchestrator, 'process' | 'checkAdmission'>;

/**
 * Jobs for the asynchronous REST style (POST /v1/jobs → id; GET status; GET image): each job is
 * one `Orchestrator.process` call whose progress and result are kept under a random UUID.
 * Finished jobs expire after `ttlMs`; when `maxJobs` are kept the oldest finished one is evicted,
 * and when none has finished the submit is refused with QUEUE_FULL. Finished results also hold at
 * most `maxResultBytes` of images together: the oldest finished ones are evicted to stay under it
 * (a single larger result is kept until it expires or the next one finishes).
 */
export class JobStore {
  private readonly jobs = new Map<string, Job>();
  /** Ids of finished jobs in the order they finished: the eviction order. */
  private readonly finished = new Set<string>();
  private readonly ttlMs: number;
  private readonly maxJobs: number;
  private readonly maxResultBytes: number;
  private resultBytes = 0;
  private closing?: Promise<void>;
  private drained?: { promise: Promise<void>; resolve: () => void };

  /** @throws PipelineError INVALID_ARGUMENT for a bad option */
  constructor(
    private readonly orchestrator: JobProcessor,
    options: JobStoreOptions = {},
  ) {
    this.ttlMs = positiveInteger('ttlMs', options.ttlMs ?? DEFAULT_JOB_TTL_MS);
    this.maxJobs = positiveInteger('maxJobs', options.maxJobs ?? DEFAULT_MAX_JOBS);
    this.maxResultBytes = positiveInteger('maxResultBytes', options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES);
  }

  /**
   * Starts a job and answers its id at once. Throws INVALID_ARGUMENT for a bad request,
   * STAGE_UNAVAILABLE once closing, QUEUE_FULL when the orchestrator admits no more images (by
   * count, or by bytes waiting for memory) or the store is full of unfinished jobs.
   */
  submit(request: ProcessRequest): { id: string } {
    const valid = validateProcessRequest(request);
    if (this.closing || this.drained) throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'the orchestrator is shutting down: it takes no new jobs');
    this.orchestrator.checkAdmission(valid.image.data.length);
    this.makeRoom();
    const id = randomUUID();
    const job: Job = { id, status: 'queued', submittedAtMs: Date.now(), stagesDone: [], timeline: [], finished: Promise.resolve(), resultBytes: 0 };
    this.jobs.set(id, job);
    job.finished = this.orchestrator
      .process(request, {
        onStageStart: () => {
          if (job.status === 'queued') job.status = 'running';
        },
        onStageDone: (span) => {
          job.stagesDone.push(span.stage as StageName);
          job.timeline.push(span);
        },
      })
      .then(
        (result) => this.finish(job, { status: 'done', result }),
        (error: unknown) => {
          const { code, message } = PipelineError.from(error);
          this.finish(job, { status: 'failed', error: { code, message } });
        },
      );
    return { id };
  }

  /**
   * A snapshot of the job. Throws NOT_FOUND for an unknown or expired id. A read that `collects`
   * a done job, or any read of a failed one, counts as handing its outcome over (see `drain`).
   */
  get(id: string, read: JobRead = {}): JobView {
    const job = typeof id === 'string' ? this.jobs.get(id) : undefined;
    if (!job) {
      const shown = String(id).slice(0, 64);
      throw new PipelineError(PipelineErrorCode.NOT_FOUND, `job ${shown} not found (unknown, or expired after ${this.ttlMs} ms)`);
    }
    if (job.status === 'failed' || (job.status === 'done' && read.collects)) {
      job.collected = true;
      this.checkDrained();
    }
    const { id: jobId, status, submittedAtMs, finishedAtMs, result, error, stagesDone, timeline } = job;
    return { id: jobId, status, submittedAtMs, finishedAtMs, result, error, stagesDone: [...stagesDone], timeline: [...timeline] };
  }

  /** Job counts by status now. */
  stats(): JobStoreStats {
    const stats: JobStoreStats = { jobs: this.jobs.size, queued: 0, running: 0, done: 0, failed: 0 };
    for (const job of this.jobs.values()) stats[job.status] += 1;
    return stats;
  }

  /**
   * Shutdown's first step: refuses new jobs, and resolves once every job has finished and its
   * outcome has been read, so clients polling through a shutdown still get their results. The
   * caller bounds the wait (its grace period); `close` follows.
   */
  drain(): Promise<void> {
    if (!this.drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.drained = { promise, resolve };
      this.checkDrained();
    }
    return this.drained.promise;
  }

  /** Refuses new jobs, waits for unfinished ones, then forgets every job and clears its timers. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.jobs.values()].map((job) => job.finished));
      for (const job of this.jobs.values()) clearTimeout(job.expiry);
      this.jobs.clear();
      this.finished.clear();
      this.resultBytes = 0;
    })();
    return this.closing;
  }

  private finish(job: Job, outcome: Pick<JobView, 'status' | 'result' | 'error'>): void {
    Object.assign(job, outcome, { finishedAtMs: Date.now() });
    if (!this.jobs.has(job.id)) return;
    job.resultBytes = imageBytesOf(outcome.result);
    this.resultBytes += job.resultBytes;
    this.evictOverBytes(job.id);
    this.finished.add(job.id);
    job.expiry = setTimeout(() => this.forget(job.id), this.ttlMs);
    job.expiry.unref();
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.drained && [...this.jobs.values()].every((job) => job.collected)) this.drained.resolve();
  }

  /** Evicts the oldest finished job when the store is full; QUEUE_FULL when none has finished. */
  private makeRoom(): void {
    if (this.jobs.size < this.maxJobs) return;
    const oldest = this.finished.values().next();
    if (oldest.done) {
      throw new QueueFullError('job store', this.maxJobs, STORE_FULL_RETRY_AFTER_S, `${this.jobs.size} unfinished jobs`);
    }
    this.forget(oldest.value);
  }

  /** Evicts the oldest finished jobs (never `keep`) while results hold more than the byte bound. */
  private evictOverBytes(keep: string): void {
    for (const id of this.finished) {
      if (this.resultBytes <= this.maxResultBytes) return;
      if (id !== keep) this.forget(id);
    }
  }

  private forget(id: string): void {
    const job = this.jobs.get(id);
    if (job && this.finished.has(id)) this.resultBytes -= job.resultBytes;
    clearTimeout(job?.expiry);
    this.jobs.delete(id);
    this.finished.delete(id);
    this.checkDrained();
  }
}

function imageBytesOf(result: ProcessResult | undefined): number {
  return [result?.processedImage, result?.uploadedImage, result?.denoisedImage].reduce((sum, image) => sum + (image?.data.length ?? 0), 0);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `job store option ${name}: expected a positive integer, got ${String(value)}`,
    );
  }
  return value;
}
