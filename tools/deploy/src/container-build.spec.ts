import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './deploy-files';

const SCRIPT = join(REPO_ROOT, 'tools/deploy/container-build.mjs');

function containerBuild(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, ms: Date.now() - started };
}

describe('tools/deploy/container-build.mjs', () => {
  // An engine nobody runs: the check must fail the same way on a machine that does have Docker.
  const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

  it('fails at once, saying no Docker engine is reachable, before starting a build', () => {
    const app = readdirSync(join(REPO_ROOT, 'apps')).sort()[0];
    expect(app, 'apps/ has no app to name').toBeDefined();
    const result = containerBuild([app], noEngine);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^no Docker engine reachable: /);
    expect(result.stdout).not.toContain('docker build');
    expect(result.ms).toBeLessThan(15_000);
  });

  it('says so when the docker command itself is missing', () => {
    const app = readdirSync(join(REPO_ROOT, 'apps')).sort()[0];
    const result = containerBuild([app], { PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^no Docker engine reachable: the docker command is not installed/);
  });

  it('rejects a missing or unknown app with usage', () => {
    expect(containerBuild([], noEngine)).toMatchObject({ status: 2, stderr: expect.stringMatching(/^usage: container-build\.mjs <app>/) });
    expect(containerBuild(['no-such-app'], noEngine)).toMatchObject({ status: 2, stderr: expect.stringContaining('no app "no-such-app"') });
  });
});
