import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built pipeline client (`dist/apps/pipeline-cli/main.mjs`) with the given arguments. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runNode([join(REPO_ROOT, 'dist/apps/pipeline-cli/main.mjs'), ...args], env);
}

/** Runs `node` with arguments in the repository root and collects its output. */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
