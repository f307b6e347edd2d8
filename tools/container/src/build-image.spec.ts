import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './docker';
import { appNames } from './images';

const SCRIPT = join(REPO_ROOT, 'tools/container/src/build-image.ts');

function buildImage(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, ms: Date.now() - started };
}

describe('tools/container/src/build-image.ts (nx run <app>:container)', () => {
  // An engine nobody runs: the check must fail the same way on a machine that does have Docker.
  const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  const app = appNames()[0];

  it('fails at once, saying no Docker engine is reachable, before starting a build', () => {
    const result = buildImage([app], noEngine);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^no Docker engine reachable: /);
    expect(result.stdout).not.toContain('built');
    expect(result.ms).toBeLessThan(15_000);
  });

  it('says so when the docker command itself is missing', () => {
    const result = buildImage([app], { PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^no Docker engine reachable: the docker command is not installed/);
  });

  it('rejects a missing or unknown app with usage', () => {
    expect(buildImage([], noEngine)).toMatchObject({ status: 2, stderr: expect.stringMatching(/^usage: build-image\.ts <app>/) });
    expect(buildImage(['no-such-app'], noEngine)).toMatchObject({ status: 2, stderr: expect.stringContaining('no app "no-such-app"') });
  });
});
