import { readdir, readFile } from 'node:fs/promises';

/** CPU time and peak memory of one process, from /proc. */
export interface ProcessUsage {
  /** utime + stime, seconds. */
  cpuSeconds: number;
  /** VmHWM: peak resident set size, bytes. */
  peakRssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on Linux (USER_HZ). */
const CLOCK_TICKS = 100;

/** Reads /proc/<pid>/stat and /proc/<pid>/status; undefined when the process is gone. */
export async function readProcessUsage(pid: number): Promise<ProcessUsage | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), which ends at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return { cpuSeconds: (utime + stime) / CLOCK_TICKS, peakRssBytes: hwm ? Number(hwm[1]) * 1024 : 0 };
  } catch {
    return undefined;
  }
}

/**
 * CPU time of every thread of a process so far, in ms, from /proc/<pid>/task/<tid>/schedstat
 * (nanoseconds; /proc/<pid>/stat counts in 10 ms ticks, too coarse for one call). NaN when the
 * process is gone. A thread that ended between two reads takes its time with it: the calls
 * measured here start none.
 */
export async function readCpuMs(pid: number): Promise<number> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    const times = await Promise.all(tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').catch(() => '0')));
    return times.reduce((sum, text) => sum + Number(text.split(' ')[0]), 0) / 1e6;
  } catch {
    return Number.NaN;
  }
}
