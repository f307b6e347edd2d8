import { describe, expect, it } from 'vitest';
import { RoundRobin } from './round-robin';

describe('RoundRobin', () => {
  it('takes turns over every item', () => {
    const turns = new RoundRobin(['a', 'b', 'c']);
    expect(Array.from({ length: 6 }, () => turns.pick())).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('passes over items that are down, and returns to them once up', () => {
    const down = new Set(['b']);
    const turns = new RoundRobin(['a', 'b', 'c']);
    const isUp = (item: string) => !down.has(item);
    expect(Array.from({ length: 4 }, () => turns.pick(isUp))).toEqual(['a', 'c', 'a', 'c']);
    down.clear();
    expect(Array.from({ length: 3 }, () => turns.pick(isUp))).toEqual(['a', 'b', 'c']);
  });

  it('still answers in turn when every item is down', () => {
    const turns = new RoundRobin(['a', 'b']);
    expect([turns.pick(() => false), turns.pick(() => false), turns.pick(() => false)]).toEqual(['a', 'b', 'a']);
  });

  it('takes a new set of items but keeps the old one when the new is empty', () => {
    const turns = new RoundRobin(['a']);
    turns.replace(['x', 'y']);
    expect(turns.all).toEqual(['x', 'y']);
    turns.replace([]);
    expect(turns.all).toEqual(['x', 'y']);
  });

  it('refuses an empty set', () => {
    expect(() => new RoundRobin([])).toThrow(RangeError);
  });
});
