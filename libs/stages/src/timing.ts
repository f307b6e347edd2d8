import { performance } from 'node:perf_hooks';

/** Runs `work` and returns its result with the elapsed milliseconds: a stage's own compute time. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; computeMs: number }> {
  const start = performance.now();
  const value = await work();
  return { value, computeMs: performance.now() - start };
}
