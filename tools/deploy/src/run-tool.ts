import { execFile } from 'node:child_process';

/** What an external command printed, and how it ended. */
export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without blocking, for many slow validations side by side; never throws for a non-zero exit. */
export function runToolAsync(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`${command} ${args.join(' ')}: ${error.message}`));
      else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of `items`. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
