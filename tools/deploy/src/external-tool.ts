import { execFile, spawnSync, type SpawnSyncOptions } from 'node:child_process';

/** What an external command printed, and how it ended. */
export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A command-line tool the checks need, and how to get it when it is missing. */
export interface ExternalTool {
  command: string;
  versionArgs: string[];
  installHint: string;
}

export const DOCKER_COMPOSE: ExternalTool = {
  command: 'docker-compose',
  versionArgs: ['version'],
  installHint: "install Debian's docker-compose (apt-get install docker-compose); CI (.ci/run) installs it",
};

export const KUBECTL: ExternalTool = {
  command: 'kubectl',
  versionArgs: ['version', '--client'],
  installHint: 'install kubectl (it includes kustomize): https://kubernetes.io/docs/tasks/tools/',
};

/**
 * Throws, naming the tool and how to install it, when `tool` cannot run. The checks that need it
 * then fail instead of being skipped: a missing validator must not look like a passing one.
 */
export function requireTool(tool: ExternalTool): void {
  const probe = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8', timeout: 30_000 });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error?.message ?? probe.stderr.trim();
    throw new Error(`${tool.command} is needed to check docker/ but cannot run (${reason}): ${tool.installHint}`);
  }
}

/** Runs a tool to completion and returns its output; never throws for a non-zero exit. */
export function runTool(tool: ExternalTool, args: string[], options: SpawnSyncOptions = {}): ToolResult {
  const result = spawnSync(tool.command, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024, ...options });
  if (result.error) throw new Error(`${tool.command} ${args.join(' ')}: ${result.error.message}`);
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Like runTool, without blocking: for running many slow validations side by side. */
export function runToolAsync(tool: ExternalTool, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(tool.command, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`${tool.command} ${args.join(' ')}: ${error.message}`));
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
