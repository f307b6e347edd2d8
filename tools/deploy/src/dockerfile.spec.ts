import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_MALLOC_TUNABLES } from '@imagepipeline/config';
import { DOCKER_DIR, dockerfiles, REPO_ROOT, STAGED_HEALTHCHECK, STAGED_RUNTIME } from './deploy-files';
import { dockerignorePatterns, isIgnored } from './dockerignore';
import { houseRuleProblems, imageRuleProblems, lintProblems, offlineBuildProblems } from './dockerfile-rules';
import { finalStageChain, imageEnv, instructions, parseDockerfile, pathInImage, workdirOf, type Instruction, type ParsedDockerfile, type Stage } from './dockerfile-stages';

const MAIN_DOCKERFILE = join(DOCKER_DIR, 'Dockerfile');
const MODELS_DOCKERFILE = join(DOCKER_DIR, 'models.Dockerfile');
/** Dockerfiles whose default target is an app image: the house rules hold for it. */
const APP_IMAGE_FILES = [MAIN_DOCKERFILE];
/**
 * Dockerfiles whose default target extends an app image named by a build argument: USER,
 * HEALTHCHECK and ENTRYPOINT come from that image, so their house rules are checked below on
 * docker/Dockerfile's image with the file's own stage on top.
 */
const APP_IMAGE_EXTENSIONS = [MODELS_DOCKERFILE];
const MODEL_FILES = ['models/u2netp.onnx', 'models/mobilenetv2-12-int8.onnx'];
const NODE_IMAGE = 'node:24.22-bookworm-slim';

const read = (path: string) => readFileSync(path, 'utf8');
const named = (paths: string[]) => paths.map((path) => [relative(REPO_ROOT, path), path]);
const ofKind = (list: readonly Instruction[], keyword: string) => list.filter((i) => i.keyword === keyword);
/** A COPY's sources and destination, flags left out. */
const pathsOf = (copy: Instruction) => copy.args.split(/\s+/).filter((word) => !word.startsWith('--'));
const sourcesOf = (copy: Instruction) => pathsOf(copy).slice(0, -1);

function stageNamed(dockerfile: ParsedDockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage "${name}"`);
  return stage;
}

/** The command of a JSON-form HEALTHCHECK, e.g. ["node", "docker/healthcheck.mjs"]. */
function healthcheckCommand(image: readonly Instruction[]): string[] {
  const args = ofKind(image, 'HEALTHCHECK').at(-1)?.args ?? '';
  return JSON.parse(args.slice(args.search(/\bCMD\b/) + 'CMD'.length)) as string[];
}

describe('Dockerfiles', () => {
  const files = dockerfiles();

  it('are each an app image or an extension of one, so the house rules reach every image', () => {
    expect([...files].sort()).toEqual([...APP_IMAGE_FILES, ...APP_IMAGE_EXTENSIONS].sort());
  });

  describe.each(named(files))('%s', (_name, path) => {
    it('passes dockerfile-utils with every warning counted', () => {
      expect(lintProblems(read(path))).toEqual([]);
    });

    it('needs no network: no RUN or ADD in any stage', () => {
      expect(offlineBuildProblems(read(path))).toEqual([]);
    });
  });

  describe.each(named(APP_IMAGE_FILES))('%s', (_name, path) => {
    it('keeps the house rules: app on a shared stage, non-root USER, HEALTHCHECK, exec-form start, production Node', () => {
      expect(houseRuleProblems(read(path))).toEqual([]);
    });
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = parseDockerfile(read(MAIN_DOCKERFILE));
  const runtime = stageNamed(dockerfile, 'runtime');
  const app = stageNamed(dockerfile, 'app');
  const chain = finalStageChain(dockerfile);
  const image = chain.flatMap((stage) => stage.instructions);
  /** A path the image's processes name, relative to the WORKDIR they start in. */
  const inWorkdir = (path: string) => posix.resolve(workdirOf(image), path);

  it(`builds every stage from ${NODE_IMAGE} or an earlier stage; the default target is app, on runtime`, () => {
    expect(dockerfile.globalArgs.NODE_IMAGE).toBe(NODE_IMAGE);
    const names = new Set<string>();
    for (const stage of dockerfile.stages) {
      expect(['${NODE_IMAGE}', ...names]).toContain(stage.base);
      if (stage.name) names.add(stage.name);
    }
    expect(chain).toEqual([runtime, app]);
  });

  // On the vfs storage driver (rootless or nested engines) every step stores a whole copy of the
  // file system: a step after the runtime COPY copies node_modules again, so the settings go
  // before it and each app's stage has only the three steps it needs.
  it('copies the staged runtime (production node_modules, package.json, health check) in one COPY, after every setting', () => {
    expect(ofKind(runtime.instructions, 'COPY').map(sourcesOf)).toEqual([[STAGED_RUNTIME]]);
    expect(runtime.instructions.at(-1)?.keyword).toBe('COPY');
  });

  it('adds the app in three steps: ARG APP, ENV APP=${APP}, COPY dist/apps/${APP}/', () => {
    expect(app.instructions.map((i) => i.keyword)).toEqual(['ARG', 'ENV', 'COPY']);
    expect(app.instructions[0].args).toBe('APP');
    expect(imageEnv(app.instructions)).toEqual({ APP: '${APP}' });
    expect(sourcesOf(app.instructions[2])).toEqual(['dist/apps/${APP}/']);
  });

  it("starts dist/apps/$APP/main.mjs where the app's COPY puts it", () => {
    const [, , script] = JSON.parse(ofKind(image, 'ENTRYPOINT').at(-1)?.args ?? '[]') as string[];
    const main = /^exec node "([^"]+)"/.exec(script)?.[1] ?? '';
    expect(main).toBe('dist/apps/${APP}/main.mjs');
    expect(pathInImage(chain, main)).toBe(inWorkdir(main));
  });

  it("runs as node with NODE_ENV=production, HOST=0.0.0.0 and the services' malloc settings", () => {
    expect(ofKind(image, 'USER').at(-1)?.args).toBe('node');
    expect(imageEnv(image)).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', GLIBC_TUNABLES: SERVICE_MALLOC_TUNABLES });
  });

  it('leaves the models out: they are mounted, or baked in by docker/models.Dockerfile', () => {
    expect(image.filter((i) => i.keyword === 'COPY' && /\bmodels\b/.test(i.args))).toEqual([]);
    expect(imageEnv(image).PIPELINE_MODEL_DIR).toBeUndefined();
  });

  it('checks health with docker/healthcheck.mjs, where the runtime COPY puts it, and exposes the service ports', () => {
    const [runner, script] = healthcheckCommand(image);
    expect([runner, script]).toEqual(['node', 'docker/healthcheck.mjs']);
    expect(pathInImage(chain, STAGED_HEALTHCHECK)).toBe(inWorkdir(script));
    const exposed = ofKind(image, 'EXPOSE')[0]?.args.split(/\s+/).map(Number);
    expect(exposed).toEqual(expect.arrayContaining([50030, 50040, 50041, 50042, 50043, 50051, 50060, 50061, 50062, 50063]));
  });
});

describe('docker/models.Dockerfile', () => {
  const dockerfile = parseDockerfile(read(MODELS_DOCKERFILE));
  const models = stageNamed(dockerfile, 'models');
  const baked = stageNamed(dockerfile, 'baked');

  it(`copies exactly the two model files into a models stage on ${NODE_IMAGE}, run as node`, () => {
    expect(dockerfile.globalArgs.NODE_IMAGE).toBe(NODE_IMAGE);
    expect(models.base).toBe('${NODE_IMAGE}');
    expect(ofKind(models.instructions, 'COPY').flatMap(sourcesOf)).toEqual(MODEL_FILES);
    expect(ofKind(models.instructions, 'USER').at(-1)?.args).toBe('node');
  });

  it('bakes them into the app image it is given, at PIPELINE_MODEL_DIR=/opt/models, adding only files and variables', () => {
    expect(dockerfile.stages.at(-1)).toBe(baked);
    expect(baked.base).toBe('${APP_IMAGE}');
    const [, defaultApp = '?'] = /^image-pipeline\/([\w-]+)(:[\w.-]+)?$/.exec(dockerfile.globalArgs.APP_IMAGE) ?? [];
    expect(existsSync(join(REPO_ROOT, 'apps', defaultApp)), dockerfile.globalArgs.APP_IMAGE).toBe(true);
    expect(new Set(baked.instructions.map((i) => i.keyword))).toEqual(new Set(['COPY', 'ENV']));
    const env = imageEnv(baked.instructions);
    expect(env).toMatchObject({ PIPELINE_MODEL_DIR: '/opt/models', PIPELINE_MODEL_DOWNLOAD: 'false' });
    const copies = ofKind(baked.instructions, 'COPY');
    expect(copies.map((copy) => copy.args)).toEqual([expect.stringMatching(/^--from=models\s/)]);
    const [from, to] = pathsOf(copies[0]);
    for (const file of MODEL_FILES) {
      const inModels = pathInImage([models], file) ?? '';
      expect(inModels.startsWith(from), file).toBe(true);
      expect(posix.join(to, inModels.slice(from.length)), file).toBe(posix.join(env.PIPELINE_MODEL_DIR, posix.basename(file)));
    }
  });

  it("keeps the house rules on docker/Dockerfile's app image", () => {
    const appImage = finalStageChain(parseDockerfile(read(MAIN_DOCKERFILE))).flatMap((stage) => stage.instructions);
    expect(imageRuleProblems([...appImage, ...baked.instructions])).toEqual([]);
  });
});

describe('the Dockerfile checks themselves', () => {
  it('report a single-stage image running as root without a health check, and its RUN', () => {
    const text = 'FROM node:20\nRUN npm ci\nCMD node main.mjs\n';
    expect(houseRuleProblems(text)).toEqual([
      'not multi-stage: the app goes on top of a stage every app shares',
      'no USER: the image would run as root',
      'no HEALTHCHECK',
      'CMD in shell form: signals would reach a shell, not node',
      'no ENV NODE_ENV=production',
    ]);
    expect(offlineBuildProblems(text)).toEqual(['line 2: RUN: the build must need no network; stage it on the host and COPY it']);
  });

  it('report RUN and ADD in stages the default target does not use', () => {
    const problems = offlineBuildProblems('FROM node:20 AS unused\nRUN npm ci\nFROM node:20\nADD https://example.com/x.tgz /x\n');
    expect(problems).toEqual([expect.stringMatching(/^line 2: RUN: /), expect.stringMatching(/^line 4: ADD: /)]);
  });

  it('follow FROM <stage> so rules set in a base stage count, and only such stages make it multi-stage', () => {
    const text = [
      'ARG V=a',
      'FROM node:20 AS build',
      'FROM node:20 AS base',
      'ENV NODE_ENV=production',
      'USER node',
      'HEALTHCHECK CMD ["true"]',
      'FROM base AS base-a',
      'FROM base-${V}',
      'CMD ["node", "x.mjs"]',
    ].join('\n');
    expect(houseRuleProblems(text)).toEqual([]);
    expect(houseRuleProblems(text.replace('USER node', 'USER root'))).toEqual(['USER root: the image must not run as root']);
    expect(houseRuleProblems(text.replace('FROM base-${V}', 'FROM node:20'))).toContain('not multi-stage: the app goes on top of a stage every app shares');
  });

  it("check an image that extends another on the base's instructions and its own", () => {
    const base = instructions('ENV NODE_ENV=production\nUSER node\nHEALTHCHECK CMD ["true"]\nENTRYPOINT ["node"]\n');
    expect(imageRuleProblems(base)).toEqual([]);
    expect(imageRuleProblems([...base, ...instructions('USER root\nENV NODE_ENV=development\n')])).toEqual([
      'USER root: the image must not run as root',
      'no ENV NODE_ENV=production',
    ]);
  });

  it('find where a COPY puts a file: named, in a copied folder, or one of several sources', () => {
    const chain = parseDockerfile('FROM a\nWORKDIR /app\nCOPY dist/rt/ ./\nCOPY x.mjs y.mjs lib/\nCOPY --from=b /z /z\n').stages;
    expect(pathInImage(chain, 'dist/rt/docker/h.mjs')).toBe('/app/docker/h.mjs');
    expect(pathInImage(chain, 'y.mjs')).toBe('/app/lib/y.mjs');
    expect(pathInImage(chain, '/z')).toBeUndefined();
  });

  it('report what dockerfile-utils finds, warnings included', () => {
    const problems = lintProblems('FROM node:20\nWORKDIR app\nCMD ["a"]\nCMD ["b"]\n');
    expect(problems).toEqual([expect.stringMatching(/line 3: .*only be one CMD/), expect.stringMatching(/line 2: WORKDIR .*absolute/)]);
    expect(lintProblems('FROM\n')).not.toEqual([]);
  });
});

describe('.dockerignore', () => {
  const patterns = dockerignorePatterns(read(join(REPO_ROOT, '.dockerignore')));
  const ignored = (path: string) => isIgnored(patterns, path);

  it('leaves everything out unless let in: `*` comes first', () => {
    expect(patterns[0]).toBe('*');
    const sources = ['apps/classifier-grpc/src/main.ts', 'node_modules/sharp/package.json', '.git/HEAD', 'models/README.md', 'dist/container/runtime.stamp'];
    expect(sources.filter((path) => !ignored(path))).toEqual([]);
  });

  it('lets in only the staged runtime, the bundled apps and models/*.onnx', () => {
    expect(patterns.filter((pattern) => pattern.startsWith('!'))).toEqual(['!dist/container/runtime', '!dist/apps', '!models/*.onnx']);
  });

  it('keeps source maps out, also of what it lets in', () => {
    expect(ignored('dist/apps/classifier-grpc/main.mjs.map')).toBe(true);
    expect(ignored('dist/container/runtime/node_modules/sharp/lib/index.js.map')).toBe(true);
  });

  it('lets in every file the Dockerfiles copy from the build context', () => {
    const copied = [MAIN_DOCKERFILE, MODELS_DOCKERFILE].flatMap((path) =>
      ofKind(parseDockerfile(read(path)).stages.flatMap((stage) => stage.instructions), 'COPY')
        .filter((copy) => !copy.args.includes('--from='))
        .flatMap(sourcesOf),
    );
    const files = copied.map((source) => source.replace('${APP}', 'classifier-grpc')).map((source) => (source.endsWith('/') ? `${source}main.mjs` : source));
    expect(files.filter(ignored)).toEqual([]);
    expect(files).toEqual(expect.arrayContaining([...MODEL_FILES, 'dist/apps/classifier-grpc/main.mjs']));
    expect(ignored(STAGED_HEALTHCHECK)).toBe(false);
  });
});
