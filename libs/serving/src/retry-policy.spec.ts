import { PipelineError } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { abortableWait, RetryPolicy, retryOptionProblems, type AttemptOutcome } from './retry-policy';

const never = new AbortController().signal;

/** An attempt that fails retryably `failures` times, then answers `value`; it records its attempt numbers. */
function flaky(failures: number, value = 'done') {
  const attempts: number[] = [];
  const attempt = async (attemptNumber: number): Promise<AttemptOutcome<string>> => {
    attempts.push(attemptNumber);
    return attemptNumber > failures ? { ok: true, value } : { ok: false, failure: new Error(`attempt ${attemptNumber} failed`) };
  };
  return { attempt, attempts };
}

describe('RetryPolicy', () => {
  it('defaults to 2 retries, waiting 100–200 ms before the first, doubling up to a 2 s ceiling (equal jitter)', () => {
    const lowest = new RetryPolicy({}, () => 0);
    const highest = new RetryPolicy({}, () => 1);
    expect(lowest.retries).toBe(2);
    expect([1, 2, 3, 4, 5, 6].map((retry) => lowest.backoffMs(retry))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3, 4, 5, 6].map((retry) => highest.backoffMs(retry))).toEqual([200, 400, 800, 1600, 2000, 2000]);
  });

  it('takes its first backoff and ceiling from the options, the random part from the random source', () => {
    const policy = new RetryPolicy({ retries: 5, initialBackoffMs: 10, maxBackoffMs: 25 }, () => 0.5);
    expect(policy.retries).toBe(5);
    expect([1, 2, 3].map((retry) => policy.backoffMs(retry))).toEqual([7.5, 15, 18.75]);
  });

  it('retries a failure the attempt returns and answers the first value', async () => {
    const { attempt, attempts } = flaky(2);
    await expect(new RetryPolicy({ retries: 2, initialBackoffMs: 1 }).run(attempt, never)).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('throws the last failure once the retries are spent', async () => {
    const { attempt, attempts } = flaky(Infinity);
    await expect(new RetryPolicy({ retries: 2, initialBackoffMs: 1 }).run(attempt, never)).rejects.toThrow('attempt 3 failed');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('makes a single attempt with no retries', async () => {
    const { attempt, attempts } = flaky(1);
    await expect(new RetryPolicy({ retries: 0 }).run(attempt, never)).rejects.toThrow('attempt 1 failed');
    expect(attempts).toEqual([1]);
  });

  it('passes on at once what the attempt throws', async () => {
    const final = new PipelineError('IMAGE_UNREADABLE', 'not an image');
    let attempts = 0;
    const attempt = async (): Promise<AttemptOutcome<string>> => {
      attempts += 1;
      throw final;
    };
    await expect(new RetryPolicy({ retries: 3, initialBackoffMs: 1 }).run(attempt, never)).rejects.toBe(final);
    expect(attempts).toBe(1);
  });

  it('ends a backoff at once when the signal aborts, with its reason, and makes no further attempt', async () => {
    const { attempt, attempts } = flaky(Infinity);
    const controller = new AbortController();
    const reason = new PipelineError('DEADLINE_EXCEEDED', 'the image deadline passed');
    const run = new RetryPolicy({ retries: 2, initialBackoffMs: 60_000, maxBackoffMs: 60_000 }).run(attempt, controller.signal);
    await expect.poll(() => attempts.length).toBe(1);
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(attempts).toEqual([1]);
  });

  it('checks its options, naming every bad one', () => {
    expect(retryOptionProblems({})).toEqual([]);
    expect(() => new RetryPolicy({ retries: -1, initialBackoffMs: 0, maxBackoffMs: 1.5 })).toThrow(
      'invalid retry options: retries: expected a non-negative integer, got -1; initialBackoffMs: expected a positive integer, got 0; maxBackoffMs: expected a positive integer, got 1.5',
    );
  });
});

describe('abortableWait', () => {
  it('resolves after the wait', async () => {
    await expect(abortableWait(1, never)).resolves.toBeUndefined();
  });

  it('rejects at once with the reason of a signal aborted before or during the wait', async () => {
    const before = new AbortController();
    before.abort(new Error('gone already'));
    await expect(abortableWait(60_000, before.signal)).rejects.toThrow('gone already');

    const during = new AbortController();
    const started = performance.now();
    const wait = abortableWait(60_000, during.signal);
    during.abort(new Error('gone now'));
    await expect(wait).rejects.toThrow('gone now');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
