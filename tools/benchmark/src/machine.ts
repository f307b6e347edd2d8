import os from 'node:os';
import { describeMachine } from '@imagepipeline/reporting';

/** The machine the benchmark ran on, for the report. */
export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  os: string;
  loadAverage: number[];
}

export function describeBenchmarkMachine(): MachineDescription {
  const machine = describeMachine();
  return {
    cpuModel: machine.cpuModel ?? 'unknown',
    cores: machine.cpus,
    memoryGiB: Math.round((machine.memoryBytes / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: os.release(),
    os: machine.os,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
