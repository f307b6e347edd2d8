import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './stats';

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5);
    expect(quantile([7], 0.99)).toBe(7);
  });

  it('is NaN for no samples', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('summarises', () => {
    expect(summarize([1, 2, 3, 4, 5])).toEqual({ n: 5, min: 1, max: 5, median: 3, p95: 4.8, p99: 4.96, q1: 2, q3: 4 });
  });
});
