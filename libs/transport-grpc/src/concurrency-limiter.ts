import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** Bounds of a {@link ConcurrencyLimiter}. */
export interface ConcurrencyLimits {
  /** Calls running at once; a positive integer. */
  maxConcurrent: number;
  /** Calls allowed to wait for a slot; one more is refused at once with QUEUE_FULL. */
  maxQueued: number;
  /**
   * Request bytes the waiting calls may hold together (grpc-js has received a message whole
   * before its call waits); one that would pass it is refused at once with QUEUE_FULL. Unbounded
   * when left out.
   */
  maxQueuedBytes?: number;
}

interface Waiter {
  bytes: number;
  start(): void;
  abandon(): void;
}

/**
 * A server's admission guard: `maxConcurrent` calls run, `maxQueued` wait in FIFO order, and one
 * more fails at once with QUEUE_FULL (RESOURCE_EXHAUSTED on the wire). A waiting call whose signal
 * aborts (the client went away) leaves the queue without ever running.
 *
 * Unlike the orchestrator's `StageQueue` it has no deadline of its own: the call's gRPC deadline
 * is the client's to set.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private waitingBytes = 0;

  constructor(readonly limits: ConcurrencyLimits) {
    if (!Number.isSafeInteger(limits.maxConcurrent) || limits.maxConcurrent < 1) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `maxConcurrent: expected a positive integer, got ${limits.maxConcurrent}`);
    }
    if (!Number.isSafeInteger(limits.maxQueued) || limits.maxQueued < 0) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `maxQueued: expected a non-negative integer, got ${limits.maxQueued}`);
    }
  }

  /** Calls running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `task` when a slot is free. Rejects with QUEUE_FULL when the queue is full (in calls, or
   * in the `bytes` its request holds), and with the signal's reason when `signal` aborts while the
   * call still waits.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal, bytes = 0): Promise<T> {
    if (signal?.aborted) throw PipelineError.from(signal.reason, PipelineErrorCode.DEADLINE_EXCEEDED);
    if (this.running >= this.limits.maxConcurrent) await this.waitForSlot(signal, bytes);
    else this.running += 1;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private waitForSlot(signal: AbortSignal | undefined, bytes: number): Promise<void> {
    const { maxConcurrent, maxQueued, maxQueuedBytes = Infinity } = this.limits;
    const busy = `server is busy: ${this.running} calls running (limit ${maxConcurrent}) and ${this.waiting.length} waiting`;
    if (this.waiting.length >= maxQueued) {
      return Promise.reject(new PipelineError(PipelineErrorCode.QUEUE_FULL, `${busy} (limit ${maxQueued}); retry later`));
    }
    if (this.waitingBytes + bytes > maxQueuedBytes) {
      return Promise.reject(
        new PipelineError(
          PipelineErrorCode.QUEUE_FULL,
          `${busy} with ${this.waitingBytes} bytes of requests (limit ${maxQueuedBytes}, this one ${bytes}); retry later`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => waiter.abandon();
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        this.waitingBytes -= bytes;
      };
      const waiter: Waiter = {
        bytes,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        abandon: () => {
          leave();
          reject(PipelineError.from(signal?.reason, PipelineErrorCode.DEADLINE_EXCEEDED));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.waitingBytes += bytes;
    });
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      this.waitingBytes -= next.bytes;
      next.start();
    } else this.running -= 1;
  }
}
