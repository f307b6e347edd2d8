import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, dockerOutput, imageExists } from './docker';

/** The Node.js the images run: the official image's line, and the exact release of the offline base. */
export const NODE_VERSION = '24.22.3';
export const OFFICIAL_NODE_IMAGE = `node:${NODE_VERSION.split('.').slice(0, 2).join('.')}-bookworm-slim`;
export const OFFLINE_NODE_IMAGE = `image-pipeline/node:${NODE_VERSION}-bookworm-slim`;

const PULL_TIMEOUT_MS = 300_000;
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/**
 * The image the Dockerfile builds FROM: the official Node LTS slim image when the engine has it or
 * can pull it, else an equivalent built here without any registry (see buildOfflineBase).
 */
export function ensureBaseImage(log: (line: string) => void = console.log): string {
  if (imageExists(OFFICIAL_NODE_IMAGE)) return OFFICIAL_NODE_IMAGE;
  log(`base: pulling ${OFFICIAL_NODE_IMAGE}`);
  if (dockerOutput(['pull', OFFICIAL_NODE_IMAGE], PULL_TIMEOUT_MS) !== undefined) return OFFICIAL_NODE_IMAGE;
  if (imageExists(OFFLINE_NODE_IMAGE)) {
    log(`base: ${OFFICIAL_NODE_IMAGE} cannot be pulled; using ${OFFLINE_NODE_IMAGE}, built here earlier`);
    return OFFLINE_NODE_IMAGE;
  }
  log(`base: ${OFFICIAL_NODE_IMAGE} cannot be pulled; building ${OFFLINE_NODE_IMAGE} offline (about a minute)`);
  buildOfflineBase(OFFLINE_NODE_IMAGE);
  return OFFLINE_NODE_IMAGE;
}

/**
 * What the official image gives the Dockerfile, made from sources this machine can reach: a
 * minimal Debian bookworm from the apt mirror (debootstrap), Node.js from the npm registry
 * (package node-linux-<arch>, the official binary), and the `node` user with uid and gid 1000.
 * Needs root (debootstrap, chroot) and debootstrap.
 */
export function buildOfflineBase(tag: string): void {
  if (process.getuid?.() !== 0) throw new Error('building the offline base image needs root (debootstrap and chroot)');
  if (spawnSync('debootstrap', ['--version']).error) throw new Error('building the offline base image needs debootstrap: apt-get install debootstrap');
  const work = mkdtempSync(join(tmpdir(), 'pipeline-base-'));
  try {
    const rootfs = join(work, 'rootfs');
    run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, debianMirror()]);
    installNode(rootfs, work);
    run('chroot', [rootfs, 'groupadd', '--gid', '1000', 'node']);
    run('chroot', [rootfs, 'useradd', '--uid', '1000', '--gid', 'node', '--shell', '/bin/bash', '--create-home', 'node']);
    // What a slim image leaves out: package caches and lists, documentation.
    for (const dir of ['var/cache/apt', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info']) {
      rmSync(join(rootfs, dir), { recursive: true, force: true });
      mkdirSync(join(rootfs, dir), { recursive: true });
    }
    const tar = spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { maxBuffer: 4 * 1024 ** 3 });
    if (tar.status !== 0) throw new Error(`tar of the base file system failed: ${tar.stderr}`);
    docker(
      ['import', '--change', `ENV NODE_VERSION=${NODE_VERSION}`, '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--change', 'CMD ["node"]', '-', tag],
      { input: tar.stdout, stdio: ['pipe', 'inherit', 'inherit'] },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The official Node.js binary for this architecture, from the npm registry, as /usr/local/bin/node. */
function installNode(rootfs: string, work: string): void {
  const nodeArch = { x64: 'x64', arm64: 'arm64' }[arch()];
  if (!nodeArch) throw new Error(`no node-linux-<arch> package for ${arch()}`);
  const packDir = join(work, 'node');
  mkdirSync(packDir);
  run('npm', ['pack', '--silent', `node-linux-${nodeArch}@${NODE_VERSION}`, '--pack-destination', packDir]);
  const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack node-linux-${nodeArch}@${NODE_VERSION} left no tarball`);
  run('tar', ['-xzf', join(packDir, tarball), '-C', packDir]);
  renameSync(join(packDir, 'package/bin/node'), join(rootfs, 'usr/local/bin/node'));
}

/** The mirror apt already uses (deb822 or one-line sources), else Debian's default. */
function debianMirror(): string {
  if (process.env.DEBIAN_MIRROR) return process.env.DEBIAN_MIRROR;
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri = /^URIs:\s*(\S+\/debian)\s*$/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s+bookworm\b/m.exec(text)?.[1];
    if (uri) return uri;
  }
  return DEFAULT_MIRROR;
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
