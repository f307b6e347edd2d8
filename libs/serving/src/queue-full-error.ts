import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/**
 * A `QUEUE_FULL` PipelineError that also carries its numbers, so a transport can set a
 * `Retry-After` header (REST 429) or trailer (gRPC RESOURCE_EXHAUSTED) without parsing the message.
 */
export class QueueFullError extends PipelineError {
  /**
   * @param scope what is full: a stage name, `pipeline` (admission) or `job store`
   * @param bound the limit that was reached
   * @param retryAfterSeconds a suggested wait before retrying, a whole number ≥ 1
   * @param detail what was counted against the bound, e.g. `64 waiting`
   */
  constructor(
    readonly scope: string,
    readonly bound: number,
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(
      PipelineErrorCode.QUEUE_FULL,
      `${scope} is full (${detail}, bound ${bound}); retry after ${retryAfterSeconds} s`,
    );
  }
}

/** Rounds an estimated wait up to whole seconds, at least 1. */
export function retryAfterSeconds(estimatedWaitMs: number): number {
  if (!Number.isFinite(estimatedWaitMs) || estimatedWaitMs <= 0) return 1;
  return Math.max(1, Math.ceil(estimatedWaitMs / 1000));
}
