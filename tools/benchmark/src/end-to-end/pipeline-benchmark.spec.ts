// Runs `benchmark:pipeline --runs 1` into a temporary directory against the built services and
// checks what it recorded — never a timing threshold.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '@imagepipeline/config';
import { testModelEnv } from '@imagepipeline/models/testing';
import type { PipelineBenchmarkRaw } from './report';

const here = fileURLToPath(new URL('.', import.meta.url));
let out: string;
let raw: PipelineBenchmarkRaw;
let report: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'pipeline-benchmark-spec-'));
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'run-pipeline-benchmark.ts'), '--runs', '1', '--out', out, '--base-port', '23000'], {
      env: { ...process.env, ...testModelEnv() },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', resolve);
  });
  expect(code).toBe(0);
  raw = JSON.parse(await readFile(join(out, 'pipeline.json'), 'utf8')) as PipelineBenchmarkRaw;
  report = await readFile(join(out, 'pipeline.md'), 'utf8');
});

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('benchmark:pipeline --runs 1', () => {
  it('warms up each protocol, then runs each once, every image of the repository through', () => {
    expect(raw.samples.map((s) => [s.warmup, s.protocol])).toEqual([[true, 'grpc'], [true, 'rest'], [false, 'rest'], [false, 'grpc']]);
    for (const sample of raw.samples) expect(sample).toMatchObject({ images: raw.photos.length, failed: 0 });
    expect(raw.photos).toEqual(expect.arrayContaining(['chelsea.png', 'eagle.jpg']));
  });

  it('counts CPU in every service and the client', () => {
    for (const sample of raw.samples) {
      for (const account of [...SERVICE_NAMES, 'client'] as const) expect(sample.cpuSeconds[account]).toBeGreaterThanOrEqual(0);
      expect(sample.cpuSeconds['background-remover']).toBeGreaterThan(0);
    }
  });

  it('writes a report with the machine, the spread and the CPU floor', () => {
    for (const heading of ['## Wall time: first request to last result', '## CPU seconds per image', '## Wall time against the CPU floor', '## Every run, in order']) {
      expect(report).toContain(heading);
    }
    expect(report).toContain(`Node ${process.version}`);
    expect(report).toMatch(/Load average at start: \d/);
  });
});
