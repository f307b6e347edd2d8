import { AsyncResource } from 'node:async_hooks';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { QueueFullError, retryAfterSeconds } from './queue-full-error';

/** One unit of admitted work. It must stop and reject soon after `signal` aborts. */
export type AdmittedTask<T> = (signal: AbortSignal) => Promise<T>;

/** How one admission queue is bounded. */
export interface AdmissionOptions {
  /** Names the queue in errors and stats (a stage name, or a server's requests). */
  name: string;
  /** How many tasks run at once (the workers); a positive integer. */
  concurrency: number;
  /** How many tasks may wait while all workers are busy; one more is refused with QUEUE_FULL. */
  capacity: number;
  /**
   * How long a task may wait and run together, counted from `enqueue`. None: the caller's own
   * deadline and cancellation end it (a server's requests).
   */
  deadlineMs?: number;
  /**
   * Bytes the waiting tasks may hold together (a request that waits has arrived whole); a task
   * that would pass it is refused at once with QUEUE_FULL. Unbounded when left out.
   */
  maxWaitingBytes?: number;
}

/** Per-task options of `Admission.enqueue`. */
export interface EnqueueOptions {
  /** The caller's cancellation: aborting it fails the task (waiting or running) and aborts its signal. */
  signal?: AbortSignal;
  /** Bytes the task holds while it waits, counted against `maxWaitingBytes`. */
  bytes?: number;
}

/** Counters of one queue, for metrics. `completed` and `failed` count since construction. */
export interface AdmissionStats {
  name: string;
  concurrency: number;
  capacity: number;
  /** Tasks accepted and not started yet. */
  waiting: number;
  /** Tasks started and not settled yet (including ones whose caller already got a deadline error). */
  running: number;
  completed: number;
  /** Accepted tasks that failed: errors, deadlines, cancellations and waiting tasks dropped by close. */
  failed: number;
  /** Tasks refused at once with QUEUE_FULL. */
  rejected: number;
}

interface Entry {
  task: AdmittedTask<unknown>;
  bytes: number;
  controller: AbortController;
  resolve(value: unknown): void;
  reject(error: PipelineError): void;
  timer?: NodeJS.Timeout;
  detach?: () => void;
  state: 'waiting' | 'running' | 'settled';
}

/** Weight of the newest task duration in the moving average behind retry-after estimates. */
const SMOOTHING = 0.2;
/** The service time assumed before any task has finished. */
const INITIAL_SERVICE_MS = 1000;

/**
 * Admission for both protocols and for the orchestrator's stages: a bounded FIFO queue with a fixed
 * number of workers, refusing one task too many at once with a `QueueFullError` that carries a
 * retry-after estimate.
 *
 * A task's deadline covers its wait and its run. When it passes, or the caller's signal aborts, the
 * caller is rejected at once and the task's signal aborts with the error as its reason; the worker
 * slot stays taken until the task really settles, so the work behind it never sees more than
 * `concurrency` tasks at once.
 */
export class Admission {
  private readonly waiting: Entry[] = [];
  private waitingBytes = 0;
  private running = 0;
  private completed = 0;
  private failed = 0;
  private rejected = 0;
  private averageServiceMs = INITIAL_SERVICE_MS;
  private closed = false;
  private drained?: () => void;
  private readonly drainPromise: Promise<void>;

  constructor(readonly options: AdmissionOptions) {
    const { name, concurrency, capacity } = options;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `${name}: concurrency must be a positive integer, got ${concurrency}`);
    }
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `${name}: capacity must be a non-negative integer, got ${capacity}`);
    }
    this.drainPromise = new Promise((resolve) => (this.drained = resolve));
  }

  /**
   * Queues `task` and answers its result. Rejects at once with a `QueueFullError` (QUEUE_FULL) when
   * every worker is busy and `capacity` tasks (or `maxWaitingBytes`) already wait, with
   * STAGE_UNAVAILABLE once closed, and later with DEADLINE_EXCEEDED when the deadline passes; a
   * task's own error is passed on as a PipelineError (anything else becomes INTERNAL).
   */
  enqueue<T>(task: AdmittedTask<T>, options: EnqueueOptions = {}): Promise<T> {
    const { name, deadlineMs } = this.options;
    const bytes = options.bytes ?? 0;
    if (this.closed) {
      return Promise.reject(new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, `${name} queue is closed`));
    }
    if (options.signal?.aborted) return Promise.reject(cancelled(name, options.signal.reason));
    const refusal = this.refusalIfFull(bytes);
    if (refusal) return Promise.reject(refusal);
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        // Run in the caller's async context, not that of whichever task frees the slot: a trace's
        // spans, made inside the task, belong to the caller's image.
        task: AsyncResource.bind(task),
        bytes,
        controller: new AbortController(),
        resolve: resolve as (value: unknown) => void,
        reject,
        state: 'waiting',
      };
      if (deadlineMs !== undefined) {
        entry.timer = setTimeout(() => {
          const where = entry.state === 'running' ? 'running' : 'waiting';
          this.fail(entry, new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `${name} deadline of ${deadlineMs} ms passed while ${where}`));
        }, deadlineMs);
      }
      const signal = options.signal;
      if (signal) {
        const onAbort = () => this.fail(entry, cancelled(name, signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        entry.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiting.push(entry);
      this.waitingBytes += bytes;
      this.pump();
    });
  }

  /**
   * The QUEUE_FULL error `enqueue` would answer now for a task holding `bytes` (counted as a
   * refusal), or undefined when it would be taken: lets a caller refuse before doing the work of
   * building a task, or of reading its request.
   */
  refusalIfFull(bytes = 0): QueueFullError | undefined {
    const { name, concurrency, capacity, maxWaitingBytes = Infinity } = this.options;
    if (this.running < concurrency) return undefined;
    if (this.waiting.length >= capacity) {
      this.rejected += 1;
      return new QueueFullError(name, capacity, this.retryAfterSeconds(), `${this.waiting.length} waiting`);
    }
    if (this.waitingBytes + bytes > maxWaitingBytes) {
      this.rejected += 1;
      return new QueueFullError(name, maxWaitingBytes, this.retryAfterSeconds(), `${this.waitingBytes + bytes} bytes waiting`);
    }
    return undefined;
  }

  /** The queue's counters now. */
  stats(): AdmissionStats {
    const { name, concurrency, capacity } = this.options;
    const { completed, failed, rejected, running } = this;
    return { name, concurrency, capacity, waiting: this.waiting.length, running, completed, failed, rejected };
  }

  /** A suggested wait before retrying, from the backlog and the recent average task duration. */
  retryAfterSeconds(): number {
    const backlog = this.waiting.length + this.running;
    return retryAfterSeconds((backlog / this.options.concurrency) * this.averageServiceMs);
  }

  /**
   * Refuses new tasks, rejects the waiting ones (STAGE_UNAVAILABLE) and resolves once every running
   * task has settled. Running tasks are not aborted; their deadlines still apply.
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const entry of this.waiting.slice()) {
        this.fail(entry, new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, `${this.options.name} queue closed before the task started`));
      }
      this.settleDrain();
    }
    return this.drainPromise;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry;
      this.waitingBytes -= entry.bytes;
      this.start(entry);
    }
  }

  private start(entry: Entry): void {
    entry.state = 'running';
    this.running += 1;
    const startedAt = performance.now();
    new Promise<unknown>((resolve) => resolve(entry.task(entry.controller.signal)))
      .then(
        (value) => this.succeed(entry, value),
        (error: unknown) => this.fail(entry, PipelineError.from(error)),
      )
      .finally(() => {
        const ms = performance.now() - startedAt;
        this.averageServiceMs += SMOOTHING * (ms - this.averageServiceMs);
        this.running -= 1;
        this.pump();
        this.settleDrain();
      });
  }

  private succeed(entry: Entry, value: unknown): void {
    if (!this.settle(entry)) return;
    this.completed += 1;
    entry.resolve(value);
  }

  private fail(entry: Entry, error: PipelineError): void {
    const state = entry.state;
    if (!this.settle(entry)) return;
    if (state === 'waiting') {
      this.waiting.splice(this.waiting.indexOf(entry), 1);
      this.waitingBytes -= entry.bytes;
    }
    if (state === 'running') entry.controller.abort(error);
    this.failed += 1;
    entry.reject(error);
  }

  /** Marks the entry settled and frees its timer and listener; false when it already was. */
  private settle(entry: Entry): boolean {
    if (entry.state === 'settled') return false;
    entry.state = 'settled';
    clearTimeout(entry.timer);
    entry.detach?.();
    return true;
  }

  private settleDrain(): void {
    if (this.closed && this.running === 0) this.drained?.();
  }
}

/** The error for a caller's abort: its own PipelineError reason, else DEADLINE_EXCEEDED. */
function cancelled(name: string, reason: unknown): PipelineError {
  if (reason instanceof PipelineError) return reason;
  const detail = reason instanceof Error ? reason.message : String(reason);
  const what = reason instanceof Error && reason.name === 'TimeoutError' ? "caller's deadline passed" : 'cancelled by the caller';
  return new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `${name}: ${what} (${detail})`, { cause: reason });
}
