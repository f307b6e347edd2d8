import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBaseImage } from './base-image';
import { buildEnv, dockerQuietly, REPO_ROOT } from './docker';
import { stageRuntime } from './runtime-deps';

/** Where buildRuntimeImage records the base image it chose, for the app builds that follow. */
const BASE_IMAGE_FILE = join(REPO_ROOT, 'dist/container/base-image');
export const RUNTIME_IMAGE = 'image-pipeline/runtime:latest';

/** Labels every image of ours carries (docker/Dockerfile), so a prune touches only ours. */
const IMAGE_LABEL = 'org.opencontainers.image.vendor=image-pipeline';

/** The apps an image is built for: those of apps/ with a `container` target (the services and the client). */
export function appNames(): string[] {
  const manifest = (name: string) => join(REPO_ROOT, 'apps', name, 'package.json');
  return readdirSync(join(REPO_ROOT, 'apps'))
    .filter((name) => existsSync(manifest(name)))
    .filter((name) => (JSON.parse(readFileSync(manifest(name), 'utf8')) as { scripts?: Record<string, string> }).scripts?.container !== undefined)
    .sort();
}

/** An app's image name, as the compose files spell it: ${IMAGE_PREFIX:-image-pipeline}/<app>:${IMAGE_TAG:-latest}. */
export function appImage(app: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${env.IMAGE_PREFIX || 'image-pipeline'}/${app}:${env.IMAGE_TAG || 'latest'}`;
}

/**
 * What every app image shares, made once before them: the base image, the staged production
 * dependencies, and the Dockerfile's `runtime` stage, whose layers the app builds then reuse.
 * Returns the base image, also recorded for later app builds.
 */
export function buildRuntimeImage(log: (line: string) => void = console.log): string {
  const base = ensureBaseImage(log);
  stageRuntime(log);
  // Images of ours that a newer build left without a name: each holds its own layers.
  dockerQuietly(['image', 'prune', '--force', '--filter', `label=${IMAGE_LABEL}`]);
  dockerQuietly(['build', '-f', 'docker/Dockerfile', '--target', 'runtime', '--build-arg', `NODE_IMAGE=${base}`, '-t', RUNTIME_IMAGE, '.'], { env: buildEnv() });
  writeFileSync(BASE_IMAGE_FILE, `${base}\n`);
  log(`runtime: ${RUNTIME_IMAGE} on ${base}`);
  return base;
}

/** One app's image (its bundle in dist/apps/<app> already built), on the base buildRuntimeImage chose. */
export function buildAppImage(app: string, buildOptions: string[] = []): string {
  const base = existsSync(BASE_IMAGE_FILE) ? readFileSync(BASE_IMAGE_FILE, 'utf8').trim() : undefined;
  if (!base) throw new Error(`no base image recorded: build through Nx, which stages it first: npx nx run ${app}:container`);
  const image = appImage(app);
  const args = ['build', '-f', 'docker/Dockerfile', '--target', 'app', '--build-arg', `NODE_IMAGE=${base}`, '--build-arg', `APP=${app}`, '-t', image];
  dockerQuietly([...args, ...buildOptions, '.'], { env: buildEnv() });
  return image;
}
