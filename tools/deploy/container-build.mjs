#!/usr/bin/env node
// Builds one app's container image from the repository root:
//
//   node tools/deploy/container-build.mjs <app> [more docker build options]
//   → docker build -f docker/Dockerfile --build-arg APP=<app> -t image-pipeline/<app> [options] .
//
// e.g. `... classifier-grpc --build-arg BAKE_MODELS=true`. Asks the Docker engine first and stops
// at once, with the reason, when none answers: no half-started build, no long wait.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENGINE_TIMEOUT_MS = 15_000;

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

/** Why `docker info` could not reach an engine, or undefined when it could. */
function engineProblem() {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: ENGINE_TIMEOUT_MS,
  });
  if (info.error?.code === 'ENOENT') return 'the docker command is not installed';
  if (info.error) return info.error.message;
  if (info.status !== 0) {
    const lines = `${info.stderr}\n${info.stdout}`.split('\n').map((line) => line.trim());
    return lines.find((line) => /cannot connect|error|denied/i.test(line)) ?? `docker info exited with ${info.status}`;
  }
  return undefined;
}

const [app, ...buildOptions] = process.argv.slice(2);
const apps = existsSync(join(root, 'apps')) ? readdirSync(join(root, 'apps')).sort() : [];
if (!app || app.startsWith('-')) {
  fail(`usage: container-build.mjs <app> [docker build options]\napps: ${apps.join(', ')}`, 2);
}
if (!apps.includes(app)) fail(`no app "${app}" in apps/ (apps: ${apps.join(', ')})`, 2);

const problem = engineProblem();
if (problem) {
  fail(
    `no Docker engine reachable: ${problem}\n` +
      `container-build needs a running Docker engine (BuildKit) to build image-pipeline/${app}: ` +
      'start Docker or point DOCKER_HOST at one, then run again.',
  );
}

const args = ['build', '-f', 'docker/Dockerfile', '--build-arg', `APP=${app}`, '-t', `image-pipeline/${app}`, ...buildOptions, '.'];
console.log(`docker ${args.join(' ')}`);
const build = spawnSync('docker', args, { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
