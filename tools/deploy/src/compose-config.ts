import { dirname } from 'node:path';
import { parse } from 'yaml';
import type { ComposeFile } from './deploy-files';
import { runToolAsync, type ToolResult } from './run-tool';

/** A service as `docker-compose config` prints it: the fields the checks read. */
export interface ComposeService {
  build?: { args?: Record<string, string>; dockerfile?: string };
  image?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: (string | { target: number; published: number | string; host_ip?: string })[];
  volumes?: (string | { source: string; target: string; read_only?: boolean })[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  user?: string;
  cap_drop?: string[];
  read_only?: boolean;
  security_opt?: string[];
  tmpfs?: string[];
  mem_limit?: string;
  group_add?: (string | number)[];
}

/** The variables that could change what a compose file resolves to, dropped for a reproducible check. */
const INHERITED = /^(COMPOSE_|DOCKER_|IMAGE_|PIPELINE_|LOG_LEVEL$|MAX_|SHUTDOWN_|PUBLISH_|PROMETHEUS_|GRAFANA_|JAEGER_|OTEL_|[A-Z_]+_HOST$)/;
export const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED.test(name)));

/**
 * `docker-compose [--env-file] -f <file> [-f <overlay>...] config <extra>`, run from the file's
 * folder as its README says, with `env` added to a clean environment.
 */
export function composeConfig(
  file: ComposeFile,
  extra: string[],
  options: { withEnvFile?: boolean; env?: Record<string, string>; overlays?: string[] } = {},
): Promise<ToolResult> {
  const envFile = options.withEnvFile !== false && file.envFile ? ['--env-file', file.envFile] : [];
  const files = [file.path, ...(options.overlays ?? [])].flatMap((path) => ['-f', path]);
  return runToolAsync('docker-compose', [...envFile, ...files, 'config', ...extra], {
    cwd: dirname(file.path),
    env: { ...cleanEnv, ...options.env },
  });
}

/** The services of a `config` run's output; throws with its stderr when it failed. */
export function servicesOf(name: string, result: ToolResult): Record<string, ComposeService> {
  if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
  return (parse(result.stdout) as { services: Record<string, ComposeService> }).services;
}

/** Where a volume is mounted and whether read-only, from either the short or the long syntax. */
export function mounts(service: ComposeService): { source: string; target: string; readOnly: boolean }[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source, target: volume.target, readOnly: volume.read_only === true };
    const [source, target, mode = ''] = volume.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

/** Each published port: the container port, and the host address it is bound to ('' for all). */
export function publishedPorts(service: ComposeService): { target: number; hostIp: string }[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== 'string') return { target: port.target, hostIp: port.host_ip ?? '' };
    const parts = port.split('/')[0].split(':');
    return { target: Number(parts.at(-1)), hostIp: parts.length === 3 ? parts[0] : '' };
  });
}

/** Each published port's port on the host, as written ('' where Docker picks one). */
export function hostPorts(service: ComposeService): string[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== 'string') return String(port.published ?? '');
    const parts = port.split('/')[0].split(':');
    return parts.length > 1 ? parts.at(-2) ?? '' : '';
  });
}
