import os from 'node:os';
import { describeMachine } from './machine-info';
import type { MachineInfo } from './run-report';

/**
 * When and where a benchmark ran, for the head of its report. The machines are shared and an
 * absolute time moves from one day to the next, so every report states the date, the machine and
 * how loaded it was when the run began.
 */
export interface MeasurementContext {
  /** UTC day, `2026-11-29`. */
  date: string;
  /** `2 cores × AMD EPYC, 23.5 GiB, Node v20.20.2, linux 6.8.0 x64`. */
  machine: string;
  /** `2.07 / 3.38 / 3.41 (1, 5, 15 min)`. */
  loadAverage: string;
}

export function machineLine(machine: MachineInfo, nodeVersion: string): string {
  const memoryGiB = (machine.memoryBytes / 1024 ** 3).toFixed(1);
  return `${machine.cpus} cores × ${machine.cpuModel ?? 'unknown CPU'}, ${memoryGiB} GiB, Node ${nodeVersion}, ${machine.os}`;
}

export function loadAverageLine(loadAverage: readonly number[]): string {
  return `${loadAverage.map((value) => value.toFixed(2)).join(' / ')} (1, 5, 15 min)`;
}

/** This machine, now. */
export function measurementContext(now = new Date()): MeasurementContext {
  return {
    date: now.toISOString().slice(0, 10),
    machine: machineLine(describeMachine(), process.version),
    loadAverage: loadAverageLine(os.loadavg()),
  };
}
