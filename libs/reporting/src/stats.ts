/** The q-quantile (0..1) of samples, by linear interpolation between order statistics. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Median, quartiles, extremes, p95 and p99 of a set of samples (benchmarks report these). */
export interface Summary {
  n: number;
  min: number;
  max: number;
  median: number;
  p95: number;
  p99: number;
  q1: number;
  q3: number;
}

/** The usual order statistics of samples, each by `quantile`. */
export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    min: quantile(samples, 0),
    max: quantile(samples, 1),
    median: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    p99: quantile(samples, 0.99),
    q1: quantile(samples, 0.25),
    q3: quantile(samples, 0.75),
  };
}
