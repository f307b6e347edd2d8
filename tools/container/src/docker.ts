import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const ENGINE_TIMEOUT_MS = 15_000;

/** Why no Docker engine answers `docker info`, or undefined when one does. */
export function engineProblem(): string | undefined {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: ENGINE_TIMEOUT_MS });
  if ((info.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return 'the docker command is not installed';
  if (info.error) return info.error.message;
  if (info.status !== 0) {
    const lines = `${info.stderr}\n${info.stdout}`.split('\n').map((line) => line.trim());
    return lines.find((line) => /cannot connect|error|denied/i.test(line)) ?? `docker info exited with ${info.status}`;
  }
  return undefined;
}

/** Exits with the reason when no engine answers: no half-started build, no long wait. */
export function requireEngine(what: string): void {
  const problem = engineProblem();
  if (problem === undefined) return;
  console.error(`no Docker engine reachable: ${problem}\n${what} needs a running Docker engine: start one (or point DOCKER_HOST at one), then run again.`);
  process.exit(1);
}

/**
 * The environment for `docker build`: BuildKit through the buildx plugin where it is installed,
 * else the classic builder (DOCKER_BUILDKIT=0), which a Docker 23+ client without buildx needs
 * and which docker/Dockerfile is written for as well.
 */
export function buildEnv(): NodeJS.ProcessEnv {
  if (process.env.DOCKER_BUILDKIT !== undefined) return process.env;
  const buildx = spawnSync('docker', ['buildx', 'version'], { encoding: 'utf8', timeout: ENGINE_TIMEOUT_MS });
  return buildx.status === 0 ? process.env : { ...process.env, DOCKER_BUILDKIT: '0' };
}

/** Runs docker with the given arguments, output shown; throws with the command when it fails. */
export function docker(args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync('docker', args, { cwd: REPO_ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.status ?? result.signal}`);
}

/**
 * Runs docker with its output held back, and shown only when it fails: a build of eleven images
 * would otherwise print the classic builder's deprecation notice eleven times.
 */
export function dockerQuietly(args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync('docker', args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options, stdio: 'pipe' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`docker ${args.join(' ')} exited ${result.status ?? result.signal}`);
  }
}

/** Runs docker and returns its trimmed standard output, or undefined when it fails. */
export function dockerOutput(args: string[], timeoutMs = 60_000): string | undefined {
  const result = spawnSync('docker', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function imageExists(image: string): boolean {
  return dockerOutput(['image', 'inspect', '--format', '{{.Id}}', image]) !== undefined;
}
