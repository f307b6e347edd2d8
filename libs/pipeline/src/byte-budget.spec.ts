import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget';

const settled = async <T>(promise: Promise<T>) => {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('ByteBudget', () => {
  it('lets images in while their bytes fit, and the next one in order once bytes come back', async () => {
    const budget = new ByteBudget(100);
    const releaseA = await budget.acquire(60);
    const b = budget.acquire(50);
    const c = budget.acquire(10);
    expect(await settled(b)).toBe(false);
    expect(await settled(c)).toBe(false); // in order: c waits behind b although it would fit
    expect(budget.stats()).toEqual({ capacityBytes: 100, reservedBytes: 60, waiting: 2 });
    releaseA();
    await b;
    await c;
    expect(budget.stats()).toEqual({ capacityBytes: 100, reservedBytes: 60, waiting: 0 });
  });

  it('runs an image larger than the whole budget once it is alone', async () => {
    const budget = new ByteBudget(100);
    const releaseSmall = await budget.acquire(10);
    const huge = budget.acquire(500);
    expect(await settled(huge)).toBe(false);
    releaseSmall();
    const releaseHuge = await huge;
    expect(budget.stats().reservedBytes).toBe(500);
    releaseHuge();
    releaseHuge(); // a second release gives nothing back twice
    expect(budget.stats().reservedBytes).toBe(0);
  });

  it('takes a waiting image out of line when its signal aborts, with the signal\'s reason', async () => {
    const budget = new ByteBudget(100);
    const release = await budget.acquire(100);
    const controller = new AbortController();
    const waiting = budget.acquire(50, controller.signal);
    controller.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(budget.stats().waiting).toBe(0);
    release();
    expect(budget.stats().reservedBytes).toBe(0);
  });
});
