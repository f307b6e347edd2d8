import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dockerOutput } from './docker';

/** What a running service container costs: its image, its start and its memory. */
export interface ContainerStats {
  service: string;
  image: string;
  imageBytes: number;
  /** The user the container runs as, and whether its root file system is read-only. */
  user: string;
  readOnlyRootfs: boolean;
  /** From the container's start to the service's own `ready` log line (models loaded, port open). */
  readyMs?: number;
  /** Resident memory of the node process now, and its peak since it started (kernel VmRSS, VmHWM). */
  rssBytes?: number;
  peakRssBytes?: number;
}

const inspect = (container: string, format: string) => dockerOutput(['inspect', '--format', format, container]) ?? '';

/** The container's image and its size, its user and whether its root file system is read-only. */
export function imageOf(container: string): Pick<ContainerStats, 'image' | 'imageBytes' | 'user' | 'readOnlyRootfs'> {
  const image = inspect(container, '{{.Config.Image}}');
  return {
    image,
    imageBytes: Number(dockerOutput(['image', 'inspect', '--format', '{{.Size}}', image]) ?? Number.NaN),
    user: inspect(container, '{{.Config.User}}'),
    readOnlyRootfs: inspect(container, '{{.HostConfig.ReadonlyRootfs}}') === 'true',
  };
}

/** Milliseconds from the container's start to the first `ready` line of its JSON log, if any. */
export function readyMs(container: string): number | undefined {
  const startedAt = Date.parse(inspect(container, '{{.State.StartedAt}}'));
  const logs = dockerOutput(['logs', container]) ?? '';
  for (const line of logs.split('\n')) {
    if (!line.includes('"msg":"ready"')) continue;
    const time = (JSON.parse(line) as { time?: number }).time;
    return time === undefined ? undefined : time - startedAt;
  }
  return undefined;
}

/**
 * The node process's resident memory, read from the host's /proc: the engine runs on this machine.
 * With `init: true` the container's first process is Docker's init, and node its child.
 */
export function nodeMemory(container: string): { rssBytes?: number; peakRssBytes?: number } {
  const pid = inspect(container, '{{.State.Pid}}');
  const child = spawnSync('pgrep', ['-P', pid], { encoding: 'utf8' }).stdout?.trim().split('\n')[0] ?? '';
  // Node names its main thread MainThread; /proc/<pid>/cmdline still starts with node.
  const isNode = (id: string) => /^\d+$/.test(id) && existsSync(`/proc/${id}/cmdline`) && /^(\S*\/)?node\0/.test(readFileSync(`/proc/${id}/cmdline`, 'latin1'));
  const nodePid = [child, pid].find(isNode);
  const status = nodePid && `/proc/${nodePid}/status`;
  if (!status) return {};
  const text = readFileSync(status, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]) * 1024;
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** The stats as a Markdown table: image size, time to ready, memory when idle and at the peak. */
export function statsTable(services: ContainerStats[]): string {
  const mib = (bytes?: number) => (bytes === undefined || Number.isNaN(bytes) ? '?' : String(Math.round(bytes / 2 ** 20)));
  const rows = services.map((stats) =>
    [stats.service, stats.image, String(Math.round(stats.imageBytes / 1e6)), stats.readyMs === undefined ? '?' : (stats.readyMs / 1000).toFixed(1), mib(stats.rssBytes), mib(stats.peakRssBytes)].join(' | '),
  );
  return ['| service | image | size MB | start to ready s | RSS idle MiB | RSS peak MiB |', '|---|---|---|---|---|---|', ...rows.map((row) => `| ${row} |`)].join('\n');
}
