/**
 * Comparator networks for the SIMD median, built symbolically and pruned.
 *
 * A network here is a list of `min` / `max` operations on numbered values (SSA: every operation
 * makes a new value). Constants `-∞` and `+∞` pad lists to power-of-two lengths and fold away, and
 * only the operations that the requested outputs depend on are kept, so a merge that needs just a
 * few ranks costs only what those ranks need.
 */

export const NEG_INF = -1;
export const POS_INF = -2;

export type Operation =
  | { kind: 'input'; id: number; name: string }
  | { kind: 'min' | 'max'; id: number; a: number; b: number };

export class Network {
  readonly operations: Operation[] = [];

  input(name: string): number {
    const id = this.operations.length;
    this.operations.push({ kind: 'input', id, name });
    return id;
  }

  min(a: number, b: number): number {
    if (a === b || b === POS_INF || a === NEG_INF) return a;
    if (a === POS_INF || b === NEG_INF) return b;
    return this.push('min', a, b);
  }

  max(a: number, b: number): number {
    if (a === b || b === NEG_INF || a === POS_INF) return a;
    if (a === NEG_INF || b === POS_INF) return b;
    return this.push('max', a, b);
  }

  /** Compare-exchange: `[min, max]`. */
  exchange(a: number, b: number): [number, number] {
    return [this.min(a, b), this.max(a, b)];
  }

  /** The operations `outputs` depend on, in an order that computes each before its use. */
  live(outputs: readonly number[]): Operation[] {
    const needed = new Set<number>();
    const stack = outputs.filter((id) => id >= 0);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (needed.has(id)) continue;
      needed.add(id);
      const op = this.operations[id];
      if (op.kind !== 'input') stack.push(op.a, op.b);
    }
    return this.operations.filter((op) => needed.has(op.id));
  }

  private push(kind: 'min' | 'max', a: number, b: number): number {
    const id = this.operations.length;
    this.operations.push({ kind, id, a, b });
    return id;
  }
}

/** Batcher's odd-even merge of two sorted lists (any lengths; padded with +∞, which folds away). */
export function mergeSorted(net: Network, a: readonly number[], b: readonly number[]): number[] {
  const total = a.length + b.length;
  let half = 1;
  while (half < Math.max(a.length, b.length)) half *= 2;
  const pad = (list: readonly number[]) => [...list, ...Array<number>(half - list.length).fill(POS_INF)];
  return oddEvenMerge(net, pad(a), pad(b)).slice(0, total);
}

function oddEvenMerge(net: Network, a: number[], b: number[]): number[] {
  if (a.length === 1) return net.exchange(a[0], b[0]);
  const evens = oddEvenMerge(net, everyOther(a, 0), everyOther(b, 0));
  const odds = oddEvenMerge(net, everyOther(a, 1), everyOther(b, 1));
  const merged = [evens[0]];
  for (let i = 0; i < odds.length - 1; i++) merged.push(...net.exchange(odds[i], evens[i + 1]));
  merged.push(odds[odds.length - 1]);
  return merged;
}

function everyOther(list: readonly number[], start: number): number[] {
  return list.filter((_, index) => index % 2 === start);
}

/** Merges several sorted lists, pairwise as a balanced tree. */
export function mergeAll(net: Network, lists: readonly (readonly number[])[]): number[] {
  let level = lists.map((list) => [...list]);
  while (level.length > 1) {
    const next: number[][] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? mergeSorted(net, level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return level[0];
}

/**
 * Best known sorting networks for small sizes (Knuth, TAOCP 5.3.4; Dobbelaere's list), as
 * comparator pairs; other sizes use Batcher's merge sort. Each is checked by the 0-1 principle.
 */
const KNOWN_SORTING_NETWORKS: Record<number, [number, number][]> = {
  3: [[0, 2], [0, 1], [1, 2]],
  5: [[0, 3], [1, 4], [0, 2], [1, 3], [0, 1], [2, 4], [1, 2], [3, 4], [2, 3]],
  7: [
    [0, 6], [2, 3], [4, 5], [0, 2], [1, 4], [3, 6], [0, 1], [2, 5], [3, 4],
    [1, 2], [4, 6], [2, 3], [4, 5], [1, 2], [3, 4], [5, 6],
  ],
};

/** Sorts `values` ascending. */
export function sortValues(net: Network, values: readonly number[]): number[] {
  const known = KNOWN_SORTING_NETWORKS[values.length];
  if (known) {
    const wires = [...values];
    for (const [i, j] of known) [wires[i], wires[j]] = net.exchange(wires[i], wires[j]);
    return wires;
  }
  if (values.length <= 1) return [...values];
  const middle = Math.ceil(values.length / 2);
  return mergeSorted(net, sortValues(net, values.slice(0, middle)), sortValues(net, values.slice(middle)));
}

/** Evaluates a network on numbers (the generator uses it to check networks before emitting code). */
export function evaluate(net: Network, outputs: readonly number[], inputs: ReadonlyMap<string, number>): number[] {
  const values = new Map<number, number>([
    [NEG_INF, -Infinity],
    [POS_INF, Infinity],
  ]);
  for (const op of net.live(outputs)) {
    if (op.kind === 'input') values.set(op.id, inputs.get(op.name)!);
    else if (op.kind === 'min') values.set(op.id, Math.min(values.get(op.a)!, values.get(op.b)!));
    else values.set(op.id, Math.max(values.get(op.a)!, values.get(op.b)!));
  }
  return outputs.map((id) => values.get(id)!);
}
