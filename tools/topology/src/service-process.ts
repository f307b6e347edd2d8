import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A started service process whose output goes to a log file; `stop()` ends it gracefully. */
export interface RunningService {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code; rejects nothing. */
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  logDir: string;
  cwd?: string;
  /**
   * In a process group of its own, so that a Ctrl-C at the terminal reaches only the runner, which
   * then stops its processes in order (each gets one SIGTERM, not the terminal's SIGINT as well).
   */
  detached?: boolean;
}

/** Starts a process with its stdout and stderr appended to `<logDir>/<name>.log`. */
export async function startService(options: StartOptions): Promise<RunningService> {
  await mkdir(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (code) => {
      log.end();
      resolve(code);
    });
  });
  return {
    name: options.name,
    process: child,
    logFile,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
