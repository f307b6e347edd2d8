import os from 'node:os';
import type { MachineInfo } from './run-report';

/** Describes the machine this process runs on, for `RunReport.machine`. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model.trim(),
    memoryBytes: os.totalmem(),
    hostname: os.hostname(),
  };
}
