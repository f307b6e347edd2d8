import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/**
 * How a stage call is retried, the same for both transports. Which failures are worth another
 * attempt stays with each transport; how many attempts, and how long to wait between them, is this.
 */
export interface RetryOptions {
  /** Further attempts after the first; default 2 (the orchestrator's `STAGE_CALL_RETRIES`). */
  retries?: number;
  /** Ceiling of the wait before the first retry, doubling per retry; default 200 ms. */
  initialBackoffMs?: number;
  /** Ceiling of any wait; default 2 s. */
  maxBackoffMs?: number;
}

const DEFAULTS: Readonly<Required<RetryOptions>> = Object.freeze({
  retries: 2,
  initialBackoffMs: 200,
  maxBackoffMs: 2_000,
});

/** What one attempt came to: its value, or a failure another attempt may get past. Any other failure is thrown. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: Error };

/** One problem per option that is out of range ("retries: expected a non-negative integer, got -1"); unset options are fine. */
export function retryOptionProblems(options: RetryOptions): string[] {
  const { retries, initialBackoffMs, maxBackoffMs } = options;
  const least = { retries: 0, initialBackoffMs: 1, maxBackoffMs: 1 };
  return Object.entries({ retries, initialBackoffMs, maxBackoffMs })
    .filter(([name, value]) => value !== undefined && !(Number.isSafeInteger(value) && value >= least[name as keyof RetryOptions]))
    .map(([name, value]) => `${name}: expected a ${name === 'retries' ? 'non-negative' : 'positive'} integer, got ${value}`);
}

/** Bounded retries with capped exponential backoff and equal jitter; see {@link RetryPolicy.run}. */
export class RetryPolicy {
  readonly retries: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  /** `random` returns a number in [0, 1), as `Math.random` does; tests pass their own. */
  constructor(
    options: RetryOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    const problems = retryOptionProblems(options);
    if (problems.length > 0) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `invalid retry options: ${problems.join('; ')}`);
    }
    this.retries = options.retries ?? DEFAULTS.retries;
    this.initialBackoffMs = options.initialBackoffMs ?? DEFAULTS.initialBackoffMs;
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  }

  /**
   * The wait before retry number `retry` (1 for the first). Equal jitter (half the ceiling, plus a
   * random part of the other half) rather than full jitter: the orchestrator sends many images at
   * once, so the random half spreads their retries apart, while the fixed half keeps every retry
   * from coming at once — a replica restarting or a model loading gets a predictable least time,
   * which matters with only a couple of retries.
   */
  backoffMs(retry: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (retry - 1));
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  /**
   * Runs `attempt` (numbered from 1) until it has a value, then returns it. A failure it returns is
   * retried after the backoff while retries are left, then thrown; one it throws ends the run at
   * once. An abort of `signal` ends a wait at once, rejecting with the signal's reason; the attempt
   * itself should heed the signal too.
   */
  async run<T>(attempt: (attemptNumber: number) => Promise<AttemptOutcome<T>>, signal: AbortSignal): Promise<T> {
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      const outcome = await attempt(attemptNumber);
      if (outcome.ok) return outcome.value;
      if (attemptNumber > this.retries) throw outcome.failure;
      await abortableWait(this.backoffMs(attemptNumber), signal);
    }
  }
}

/** Resolves after `ms`; an abort of `signal`, before or during the wait, rejects at once with its reason. */
export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
