/**
 * The two networks behind a k×k median (k odd):
 *
 * 1. `rowSort`: sorts the k horizontal neighbours of every byte once per image row.
 * 2. `rowPair`: two output rows y and y+1 share k-1 input rows. Their k-1 sorted rows are merged
 *    once, keeping only ranks m-k..m (m = (k²-1)/2, the median's rank): whatever the extra row holds,
 *    the median of the window lies there. Each output row then needs the middle of those k+1 values
 *    and its own extra sorted row (row y-r for y, row y+r+1 for y+1), which is
 *    `min over i of max(A[i], B[k-1-i])` (and A[k]): 2k operations.
 */
import { Network, mergeAll, sortValues } from './median-network';

export interface RowSortNetwork {
  net: Network;
  /** Input `x{j}`: the byte j·channels after the window's first. */
  inputs: number[];
  /** Ascending. */
  sorted: number[];
}

export function rowSortNetwork(k: number): RowSortNetwork {
  const net = new Network();
  const inputs = Array.from({ length: k }, (_, j) => net.input(`x${j}`));
  return { net, inputs, sorted: sortValues(net, inputs) };
}

export interface RowPairNetwork {
  net: Network;
  /** `rows[t][q]`: rank q of sorted row t (t = 0..k, relative to the window of output row y). */
  rows: number[][];
  /** Medians for output rows y and y+1. */
  outputs: [number, number];
}

export function rowPairNetwork(k: number): RowPairNetwork {
  const net = new Network();
  const rows = Array.from({ length: k + 1 }, (_, t) =>
    Array.from({ length: k }, (_, q) => net.input(`r${t}q${q}`)),
  );
  const median = (k * k - 1) / 2;
  const shared = mergeAll(net, rows.slice(1, k));
  const candidates = shared.slice(median - k, median + 1);
  const medianWith = (extra: number[]): number => {
    const terms = candidates.slice(0, k).map((value, i) => net.max(value, extra[k - 1 - i]));
    terms.push(candidates[k]);
    return minTree(net, terms);
  };
  return { net, rows, outputs: [medianWith(rows[0]), medianWith(rows[k])] };
}

function minTree(net: Network, values: number[]): number {
  let level = values;
  while (level.length > 1) {
    const next: number[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? net.min(level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return level[0];
}
