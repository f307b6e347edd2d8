import { describe, expect, it } from 'vitest';
import { loadAverageLine, machineLine, measurementContext } from './measurement-context';

describe('measurement context', () => {
  it('names cores, CPU, memory, Node and the system in one line', () => {
    const machine = { os: 'linux 6.8.0 x64', cpus: 2, cpuModel: 'AMD EPYC', memoryBytes: 24 * 1024 ** 3 };
    expect(machineLine(machine, 'v20.20.2')).toBe('2 cores × AMD EPYC, 24.0 GiB, Node v20.20.2, linux 6.8.0 x64');
  });

  it('gives the three load averages with two decimals', () => {
    expect(loadAverageLine([2.071, 3.375, 3.4])).toBe('2.07 / 3.38 / 3.40 (1, 5, 15 min)');
  });

  it('dates a run by its UTC day and describes this machine', () => {
    const context = measurementContext(new Date('2026-11-29T23:59:00Z'));
    expect(context.date).toBe('2026-11-29');
    expect(context.machine).toContain(`Node ${process.version}`);
    expect(context.loadAverage).toMatch(/^\d+\.\d\d \/ \d+\.\d\d \/ \d+\.\d\d \(1, 5, 15 min\)$/);
  });
});
