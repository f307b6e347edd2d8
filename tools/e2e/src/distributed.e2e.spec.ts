// The distributed topology for real: each service in its own network namespace with its own IP,
// the client outside, through tools/topology's runner (as `nx run topology:distributed` does).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunWith, NETWORK_NAMESPACES } from '@imagepipeline/testing';
import { REPO_ROOT, runNode } from './run-cli';

describe.runIf(canRunWith(NETWORK_NAMESPACES, 'distributed topology tests (tools/e2e)')).each([
  // With a delay the client reaches the orchestrator through its relay on the bridge's gateway.
  ['grpc', ['--delay-ms', '1'], '10.213.0.1:60030'],
  ['rest', ['--rate', '200mbit', '--tls'], '10.213.0.10:50051'],
  ['grpc', ['--tls'], '10.213.0.10:50030'],
] as const)('the distributed topology over %s', (protocol, extraArgs, orchestratorAddress) => {
  let out: string;
  let run: Awaited<ReturnType<typeof runNode>>;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), `e2e-distributed-${protocol}-`));
    run = await runNode([
      join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'),
      join(REPO_ROOT, 'tools/topology/src/run-distributed.ts'),
      '--protocol', protocol, '--skip-build', '--out', out, ...extraArgs,
    ]);
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('runs every sample through services on five hosts and writes the results', async () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/test hosts: \{"orchestrator":"10\.213\.0\.10"/);
    if ((extraArgs as readonly string[]).includes('--tls')) expect(run.stderr).toContain('mutual TLS and tokens on every hop');
    const summary = JSON.parse(await readFile(join(out, 'distributed', protocol, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ protocol, topology: 'distributed' });
    expect(summary.orchestrator).toBe(orchestratorAddress);
    expect(summary.images).toHaveLength(4);
    expect(summary.images.every((image: { error?: unknown }) => !image.error)).toBe(true);
  });

  it('leaves no namespace behind', async () => {
    const { stdout } = await runNode(['-e', "process.stdout.write(require('node:child_process').execSync('ip netns list').toString())"]);
    expect(stdout).not.toMatch(/ipl-/);
  });
});
