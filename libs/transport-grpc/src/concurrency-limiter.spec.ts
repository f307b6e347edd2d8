import { PipelineError } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency-limiter';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyLimiter', () => {
  it('runs maxConcurrent at once, queues maxQueued in order and refuses one more with QUEUE_FULL', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 1 });
    const gate = deferred();
    const order: string[] = [];
    const first = limiter.run(async () => {
      order.push('first');
      await gate.promise;
    });
    const second = limiter.run(async () => void order.push('second'));
    await expect(limiter.run(async () => 'third')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    expect(limiter.load).toEqual({ running: 1, waiting: 1 });
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once, QUEUE_FULL, a call whose request would pass the bytes waiting calls may hold', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 10, maxQueuedBytes: 100 });
    const gate = deferred();
    const running = limiter.run(() => gate.promise, undefined, 500); // running calls do not count
    const waiting = limiter.run(async () => 'waited', undefined, 60);
    await expect(limiter.run(async () => 'too much', undefined, 50)).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      message: 'server is busy: 1 calls running (limit 1) and 1 waiting with 60 bytes of requests (limit 100, this one 50); retry later',
    });
    const small = limiter.run(async () => 'fits', undefined, 40);
    gate.resolve();
    await expect(Promise.all([running, waiting, small])).resolves.toEqual([undefined, 'waited', 'fits']);
    await expect(limiter.run(async () => 'again', undefined, 100)).resolves.toBe('again');
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 0 });
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('drops a waiting call whose signal aborts, without running it', async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 5 });
    const gate = deferred();
    const running = limiter.run(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.run(async () => void (ran = true), controller.signal);
    controller.abort(new PipelineError('DEADLINE_EXCEEDED', 'client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    expect(limiter.load.waiting).toBe(0);
    gate.resolve();
    await running;
    expect(ran).toBe(false);
  });

  it('checks its limits', () => {
    expect(() => new ConcurrencyLimiter({ maxConcurrent: 0, maxQueued: 0 })).toThrow(/maxConcurrent: expected a positive integer, got 0/);
    expect(() => new ConcurrencyLimiter({ maxConcurrent: 1, maxQueued: -1 })).toThrow(/maxQueued/);
  });
});
