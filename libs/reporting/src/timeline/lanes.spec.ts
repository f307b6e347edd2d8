import { describe, expect, it } from 'vitest';
import { packLanes } from './lanes';

describe('packLanes', () => {
  it('puts back-to-back bars in one lane', () => {
    expect(packLanes([{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 }])).toEqual({ lanes: [0, 0, 0], count: 1 });
  });

  it('stacks overlapping bars, reusing freed lanes', () => {
    const { lanes, count } = packLanes([
      { start: 2, end: 4 },
      { start: 0, end: 3 },
      { start: 0.5, end: 1 },
      { start: 3.5, end: 5 },
    ]);
    expect(count).toBe(2);
    expect(lanes).toEqual([1, 0, 1, 0]);
  });

  it('has one lane when empty', () => {
    expect(packLanes([])).toEqual({ lanes: [], count: 1 });
  });
});
