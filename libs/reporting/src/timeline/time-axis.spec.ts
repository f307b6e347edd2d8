import { describe, expect, it } from 'vitest';
import { timeAxis } from './time-axis';

describe('timeAxis', () => {
  it.each([
    [5.55, 0.5, 6, 1],
    [14.9, 2, 16, 0],
    [0.73, 0.1, 0.8, 1],
    [0.031, 0.005, 0.035, 3],
    [100, 10, 100, 0],
  ])('max %s → step %s up to %s', (max, step, end, decimals) => {
    const axis = timeAxis(max);
    expect(axis.step).toBeCloseTo(step, 10);
    expect(axis.max).toBeCloseTo(end, 10);
    expect(axis.decimals).toBe(decimals);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.ticks[axis.ticks.length - 1]).toBeCloseTo(end, 10);
  });

  it('gives a unit axis for an empty run', () => {
    expect(timeAxis(0)).toMatchObject({ max: 1, step: 0.1 });
    expect(timeAxis(Number.NaN).max).toBe(1);
  });
});
