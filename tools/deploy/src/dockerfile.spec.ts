import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_MALLOC_TUNABLES } from '@imagepipeline/config';
import { DOCKER_DIR, dockerfiles, REPO_ROOT } from './deploy-files';
import { houseRuleProblems, lintProblems } from './dockerfile-rules';
import { finalStageChain, parseDockerfile } from './dockerfile-stages';

const MAIN_DOCKERFILE = join(DOCKER_DIR, 'Dockerfile');
const read = (path: string) => readFileSync(path, 'utf8');

describe('Dockerfiles', () => {
  const files = dockerfiles();

  it('include docker/Dockerfile', () => {
    expect(files).toContain(MAIN_DOCKERFILE);
  });

  describe.each(files.map((path) => [relative(REPO_ROOT, path), path]))('%s', (_name, path) => {
    it('passes dockerfile-utils with every warning counted', () => {
      expect(lintProblems(read(path))).toEqual([]);
    });

    it('keeps the house rules: multi-stage, non-root USER, HEALTHCHECK, exec-form start, production Node', () => {
      expect(houseRuleProblems(read(path))).toEqual([]);
    });
  });
});

describe('docker/Dockerfile', () => {
  const text = read(MAIN_DOCKERFILE);
  const dockerfile = parseDockerfile(text);
  const image = (args: Record<string, string> = {}) => finalStageChain(dockerfile, args).flatMap((s) => s.instructions);

  it('builds every stage from node:24.22-bookworm-slim or an earlier stage', () => {
    expect(dockerfile.globalArgs.NODE_IMAGE).toBe('node:24.22-bookworm-slim');
    const names = new Set<string>();
    for (const stage of dockerfile.stages) {
      expect(['${NODE_IMAGE}', 'models-${BAKE_MODELS}', ...names]).toContain(stage.base);
      if (stage.name) names.add(stage.name);
    }
  });

  it('takes the app from ARG APP and bundles it with `nx run $APP:build`', () => {
    const build = dockerfile.stages.find((stage) => stage.name === 'build');
    expect(build?.instructions.some((i) => i.keyword === 'ARG' && i.args === 'APP')).toBe(true);
    expect(build?.instructions.some((i) => i.keyword === 'RUN' && i.args.includes('npx nx run "$APP:build"'))).toBe(true);
    expect(image().some((i) => i.keyword === 'ENV' && i.args === 'APP=${APP}')).toBe(true);
  });

  it('runs as node with HOST=0.0.0.0, the services\' malloc settings and only production dependencies', () => {
    const instructions = image();
    expect(instructions.filter((i) => i.keyword === 'USER').at(-1)?.args).toBe('node');
    expect(instructions.some((i) => i.keyword === 'ENV' && /\bHOST=0\.0\.0\.0\b/.test(i.args))).toBe(true);
    expect(instructions.some((i) => i.keyword === 'ENV' && i.args.includes(`GLIBC_TUNABLES=${SERVICE_MALLOC_TUNABLES}`))).toBe(true);
    const prodDeps = dockerfile.stages.find((stage) => stage.name === 'prod-deps');
    expect(prodDeps?.instructions.some((i) => i.keyword === 'RUN' && i.args.includes('npm ci --omit=dev'))).toBe(true);
    expect(instructions.some((i) => i.keyword === 'COPY' && i.args.includes('--from=prod-deps'))).toBe(true);
  });

  it('uses the project .npmrc for both installs', () => {
    const manifests = dockerfile.stages.find((stage) => stage.name === 'manifests');
    expect(manifests?.instructions.some((i) => i.keyword === 'COPY' && i.args.includes('.npmrc'))).toBe(true);
  });

  it('leaves models out unless BAKE_MODELS=true, then sets PIPELINE_MODEL_DIR to them', () => {
    expect(dockerfile.globalArgs.BAKE_MODELS).toBe('false');
    const mentionsModels = (args: Record<string, string>) =>
      image(args).some((i) => /models/.test(i.args) && (i.keyword === 'COPY' || i.keyword === 'ENV'));
    expect(mentionsModels({})).toBe(false);
    const baked = image({ BAKE_MODELS: 'true' });
    expect(baked.some((i) => i.keyword === 'ENV' && /PIPELINE_MODEL_DIR=\/opt\/models/.test(i.args))).toBe(true);
    expect(houseRuleProblems(text, { BAKE_MODELS: 'true' })).toEqual([]);
  });

  it('checks health with docker/healthcheck.mjs and exposes the service ports', () => {
    const instructions = image();
    expect(instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args).toContain('["node", "docker/healthcheck.mjs"]');
    const exposed = instructions.find((i) => i.keyword === 'EXPOSE')?.args.split(/\s+/).map(Number);
    expect(exposed).toEqual(expect.arrayContaining([50030, 50040, 50041, 50042, 50043, 50051, 50060, 50061, 50062, 50063]));
  });
});

describe('the Dockerfile checks themselves', () => {
  it('report a single-stage image running as root without a health check', () => {
    const problems = houseRuleProblems('FROM node:20\nRUN npm ci\nCMD node main.mjs\n');
    expect(problems).toEqual([
      'not multi-stage: build in one stage, run in another',
      'no USER: the image would run as root',
      'no HEALTHCHECK',
      'CMD in shell form: signals would reach a shell, not node',
      'no ENV NODE_ENV=production',
      'line 2: installs dev dependencies in the runtime image',
    ]);
  });

  it('follow FROM <stage> so rules set in a base stage count', () => {
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
  });

  it('report what dockerfile-utils finds, warnings included', () => {
    const problems = lintProblems('FROM node:20\nWORKDIR app\nCMD ["a"]\nCMD ["b"]\n');
    expect(problems).toEqual([expect.stringMatching(/line 3: .*only be one CMD/), expect.stringMatching(/line 2: WORKDIR .*absolute/)]);
    expect(lintProblems('FROM\n')).not.toEqual([]);
  });
});

describe('.dockerignore', () => {
  const lines = read(join(REPO_ROOT, '.dockerignore'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps installs, builds, results, caches and git out of the build context', () => {
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', 'dist', 'results', '.nx', '.git', 'tmp']));
  });

  it('keeps model files out except models/*.onnx, which only BAKE_MODELS=true copies', () => {
    expect(lines).toEqual(expect.arrayContaining(['**/*.onnx', '!models/*.onnx']));
  });

  it('lets the health check script in although docker/ is ignored', () => {
    expect(lines.indexOf('!docker/healthcheck.mjs')).toBeGreaterThan(lines.indexOf('docker'));
  });
});
