import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Protocol } from '@imagepipeline/config';

/** The repository root: every path in docker/ is checked from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const DOCKER_DIR = join(REPO_ROOT, 'docker');

/**
 * What `nx run container:runtime` stages in the build context for docker/Dockerfile, which copies
 * it whole (tools/container/src/runtime-deps.ts, stageRuntime): the production node_modules, the
 * root package.json and the health check, at docker/healthcheck.mjs inside it.
 */
export const STAGED_RUNTIME = 'dist/container/runtime/';
export const STAGED_HEALTHCHECK = `${STAGED_RUNTIME}docker/healthcheck.mjs`;

/** A compose file and how to read it: from its own folder, with its env file when it has one. */
export interface ComposeFile {
  /** Path from the repository root, for messages. */
  name: string;
  path: string;
  protocol: Protocol;
  topology: 'local' | 'distributed';
  /** `hosts.env` beside a distributed role's file, passed as `--env-file`. */
  envFile?: string;
}

/** A kustomize overlay: `docker/k8s/overlays/<topology>/<protocol>`. */
export interface Overlay {
  name: string;
  path: string;
  protocol: Protocol;
  topology: 'local' | 'distributed';
}

const PROTOCOL_NAMES: readonly string[] = ['grpc', 'rest'];

function asProtocol(value: string, where: string): Protocol {
  if (!PROTOCOL_NAMES.includes(value)) throw new Error(`${where}: "${value}" is not a protocol (grpc, rest)`);
  return value as Protocol;
}

function subfolders(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((name) => statSync(join(path, name)).isDirectory())
    .sort();
}

/** Every compose file under docker/: `compose.<topology>.<protocol>.yml` and `distributed/<protocol>/<role>.yml`. */
export function composeFiles(): ComposeFile[] {
  const files: ComposeFile[] = [];
  for (const name of readdirSync(DOCKER_DIR).sort()) {
    const match = /^compose\.(local|distributed)\.(\w+)\.ya?ml$/.exec(name);
    if (!match) continue;
    const path = join(DOCKER_DIR, name);
    const topology = match[1] as ComposeFile['topology'];
    files.push({ name: relative(REPO_ROOT, path), path, topology, protocol: asProtocol(match[2], name) });
  }
  const distributed = join(DOCKER_DIR, 'distributed');
  for (const protocolDir of subfolders(distributed)) {
    const folder = join(distributed, protocolDir);
    const protocol = asProtocol(protocolDir, folder);
    for (const name of readdirSync(folder).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const path = join(folder, name);
      files.push({ name: relative(REPO_ROOT, path), path, protocol, topology: 'distributed', envFile: join(folder, 'hosts.env') });
    }
  }
  return files;
}

/** The role a distributed compose file is for: its file name without the extension. */
export function roleOf(file: ComposeFile): string {
  return basename(file.path).replace(/\.ya?ml$/, '');
}

/** Every Dockerfile under docker/ (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`). */
export function dockerfiles(folder = DOCKER_DIR): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...dockerfiles(path));
    else if (/^Dockerfile(\..+)?$|\.Dockerfile$/.test(name)) found.push(path);
  }
  return found;
}

/** Every overlay under docker/k8s/overlays. */
export function overlays(): Overlay[] {
  const root = join(DOCKER_DIR, 'k8s', 'overlays');
  return subfolders(root).flatMap((topology) =>
    subfolders(join(root, topology)).map((protocolDir) => {
      const path = join(root, topology, protocolDir);
      if (topology !== 'local' && topology !== 'distributed') throw new Error(`${path}: unknown topology "${topology}"`);
      return { name: relative(REPO_ROOT, path), path, topology, protocol: asProtocol(protocolDir, path) } as Overlay;
    }),
  );
}
