// The stage bench's median comparison: order and bookkeeping only; the times are the bench's to report.
import { describe, expect, it } from 'vitest';
import { perRoundRatios, timeInterleavedRounds, type MedianContender } from '../scripts/median-comparison';

/** A contender that logs when it runs and answers the next of `answers`. */
function scripted(name: string, answers: number[], calls: string[]): MedianContender {
  return { name, filterAll: async () => (calls.push(name), answers.shift() ?? Number.NaN) };
}

describe('timeInterleavedRounds', () => {
  it('rotates the order every round and drops the warm-up round', async () => {
    const calls: string[] = [];
    const times = await timeInterleavedRounds(
      [scripted('a', [99, 1, 2, 3], calls), scripted('b', [99, 10, 20, 30], calls), scripted('c', [99, 100, 200, 300], calls)],
      3,
    );
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(times).toEqual({ a: [1, 2, 3], b: [10, 20, 30], c: [100, 200, 300] });
  });
});

describe('perRoundRatios', () => {
  it('divides within each round', () => {
    expect(perRoundRatios({ ours: [2, 4], other: [6, 4] }, 'other', 'ours')).toEqual([3, 1]);
  });
});
