import { AsyncLocalStorage } from 'node:async_hooks';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { QueueFullError } from './queue-full-error';
import { Admission, type AdmissionOptions } from './admission';

function deferred<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function queue(options: Partial<AdmissionOptions> = {}): Admission {
  return new Admission({ name: 'noise_reduction', concurrency: 1, capacity: 2, deadlineMs: 5_000, ...options });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Admission', () => {
  it("runs a waiting task in its caller's async context, not that of the task that freed the slot", async () => {
    const q = queue();
    const caller = new AsyncLocalStorage<string>();
    const first = deferred();
    const seen: (string | undefined)[] = [];
    const a = caller.run('image A', () => q.enqueue(async () => (seen.push(caller.getStore()), first.promise)));
    const b = caller.run('image B', () => q.enqueue(async () => (seen.push(caller.getStore()), 'b')));
    await tick();
    caller.run('image C', () => first.resolve('a'));
    await Promise.all([a, b]);
    expect(seen).toEqual(['image A', 'image B']);
  });

  it('runs at most `concurrency` tasks at once, in order', async () => {
    const q = queue({ concurrency: 2, capacity: 10 });
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const results = gates.map((gate, i) => q.enqueue(async () => (started.push(i), gate.promise)));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(q.stats()).toMatchObject({ waiting: 1, running: 2 });
    gates[1].resolve('b');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve('a');
    gates[2].resolve('c');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    expect(q.stats()).toMatchObject({ waiting: 0, running: 0, completed: 3, failed: 0 });
    await q.close();
  });

  it('refuses a task at once with QUEUE_FULL naming the stage, the bound and a retry-after', async () => {
    const q = queue({ concurrency: 1, capacity: 1 });
    const gate = deferred();
    const running = q.enqueue(() => gate.promise);
    const waiting = q.enqueue(async () => 'second');
    const refused = q.enqueue(async () => 'third');
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toMatchObject({ code: PipelineErrorCode.QUEUE_FULL, scope: 'noise_reduction', bound: 1 });
    expect((error as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((error as Error).message).toMatch(/^noise_reduction is full \(1 waiting, bound 1\); retry after \d+ s$/);
    expect(q.stats()).toMatchObject({ waiting: 1, running: 1, rejected: 1 });
    gate.resolve('first');
    await expect(Promise.all([running, waiting])).resolves.toEqual(['first', 'second']);
    await q.close();
  });

  it('fails a task that waits past its deadline and never starts it', async () => {
    const q = queue({ deadlineMs: 20 });
    const gate = deferred();
    let secondStarted = false;
    const first = q.enqueue(() => gate.promise).catch((e: unknown) => e);
    const second = q.enqueue(async () => (secondStarted = true));
    await expect(second).rejects.toMatchObject({
      code: PipelineErrorCode.DEADLINE_EXCEEDED,
      message: expect.stringMatching(/noise_reduction deadline of 20 ms passed while waiting/),
    });
    expect(q.stats().waiting).toBe(0);
    gate.resolve('done');
    expect(await first).toMatchObject({ code: PipelineErrorCode.DEADLINE_EXCEEDED });
    await tick();
    expect(secondStarted).toBe(false);
    await q.close();
  });

  it('fails a task that runs past its deadline, aborts its signal and keeps the worker until it settles', async () => {
    const q = queue({ deadlineMs: 20 });
    const gate = deferred();
    let taskSignal: AbortSignal | undefined;
    const result = q.enqueue((signal) => ((taskSignal = signal), gate.promise));
    const error = await result.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: PipelineErrorCode.DEADLINE_EXCEEDED });
    expect(taskSignal?.aborted).toBe(true);
    expect(taskSignal?.reason).toBe(error);
    expect(q.stats()).toMatchObject({ running: 1, failed: 1 });
    gate.resolve('late');
    await tick();
    expect(q.stats()).toMatchObject({ running: 0, completed: 0, failed: 1 });
    await q.close();
  });

  it("fails and aborts a task when the caller's signal aborts", async () => {
    const q = queue();
    const caller = new AbortController();
    let taskSignal: AbortSignal | undefined;
    const result = q.enqueue(
      (signal) => new Promise((_, reject) => ((taskSignal = signal), signal.addEventListener('abort', () => reject(signal.reason)))),
      { signal: caller.signal },
    );
    await tick();
    const reason = new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'sibling failed');
    caller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(taskSignal?.aborted).toBe(true);
    await expect(q.enqueue(async () => 1, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: PipelineErrorCode.DEADLINE_EXCEEDED,
      message: expect.stringContaining('cancelled by the caller'),
    });
    await q.close();
  });

  it('passes a PipelineError on and turns anything else into INTERNAL', async () => {
    const q = queue({ concurrency: 2 });
    const own = new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'down');
    await expect(q.enqueue(async () => Promise.reject(own))).rejects.toBe(own);
    await expect(q.enqueue(() => { throw new Error('boom'); })).rejects.toMatchObject({
      code: PipelineErrorCode.INTERNAL,
      message: 'boom',
    });
    expect(q.stats()).toMatchObject({ failed: 2, completed: 0 });
    await q.close();
  });

  it('close rejects waiting tasks, waits for running ones and refuses new ones', async () => {
    const q = queue({ concurrency: 1, capacity: 5 });
    const gate = deferred();
    const running = q.enqueue(() => gate.promise);
    const waiting = q.enqueue(async () => 'never');
    let closed = false;
    const closing = q.close().then(() => (closed = true));
    await expect(waiting).rejects.toMatchObject({ code: PipelineErrorCode.STAGE_UNAVAILABLE });
    await expect(q.enqueue(async () => 'late')).rejects.toMatchObject({
      code: PipelineErrorCode.STAGE_UNAVAILABLE,
      message: 'noise_reduction queue is closed',
    });
    await tick();
    expect(closed).toBe(false);
    gate.resolve('finished');
    await expect(running).resolves.toBe('finished');
    await closing;
    expect(closed).toBe(true);
    expect(q.stats()).toMatchObject({ waiting: 0, running: 0, completed: 1, failed: 1 });
  });

  it('refuses at once a task whose bytes would pass what the waiting tasks may hold; running ones do not count', async () => {
    const q = queue({ concurrency: 1, capacity: 10, maxWaitingBytes: 100 });
    const gate = deferred();
    const running = q.enqueue(() => gate.promise, { bytes: 500 });
    const waiting = q.enqueue(async () => 'waited', { bytes: 60 });
    const error = await q.enqueue(async () => 'too much', { bytes: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect((error as Error).message).toMatch(/^noise_reduction is full \(110 bytes waiting, bound 100\); retry after \d+ s$/);
    const small = q.enqueue(async () => 'fits', { bytes: 40 });
    gate.resolve('first');
    await expect(Promise.all([running, waiting, small])).resolves.toEqual(['first', 'waited', 'fits']);
    await expect(q.enqueue(async () => 'again', { bytes: 100 })).resolves.toBe('again');
    await q.close();
  });

  it('gives back the bytes of a waiting task whose caller went away', async () => {
    const q = queue({ concurrency: 1, capacity: 10, maxWaitingBytes: 100 });
    const gate = deferred();
    const running = q.enqueue(() => gate.promise);
    const caller = new AbortController();
    let ran = false;
    const waiting = q.enqueue(async () => void (ran = true), { signal: caller.signal, bytes: 100 });
    caller.abort(new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, 'client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    const next = q.enqueue(async () => 'fits', { bytes: 100 });
    gate.resolve('first');
    await expect(Promise.all([running, next])).resolves.toEqual(['first', 'fits']);
    expect(ran).toBe(false);
    await q.close();
  });

  it('waits without a deadline of its own when none is given', async () => {
    const q = queue({ deadlineMs: undefined });
    const gate = deferred();
    const result = q.enqueue(() => gate.promise);
    await new Promise((resolve) => setTimeout(resolve, 30));
    gate.resolve('late but fine');
    await expect(result).resolves.toBe('late but fine');
    await q.close();
  });

  it('checks its bounds', () => {
    expect(() => queue({ concurrency: 0 })).toThrow(/noise_reduction: concurrency must be a positive integer, got 0/);
    expect(() => queue({ capacity: -1 })).toThrow(/capacity must be a non-negative integer/);
  });
});
