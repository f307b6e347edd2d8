// Runs `--quick` into a temporary directory and checks the report's structure and sanity — never a timing threshold.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testModelEnv } from '@imagepipeline/models/testing';
import { CHART_FILES } from './charts';
import type { BenchmarkRaw } from './samples';
import { VARIANTS } from './variants';

const here = fileURLToPath(new URL('.', import.meta.url));
let out: string;
let raw: BenchmarkRaw;
let report: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'benchmark-'));
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'run-benchmark.ts'), '--quick', '--out', out, '--base-port', '24000'], {
      env: { ...process.env, ...testModelEnv() },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', resolve);
  });
  expect(code).toBe(0);
  raw = JSON.parse(await readFile(join(out, 'raw.json'), 'utf8')) as BenchmarkRaw;
  report = await readFile(join(out, 'report.md'), 'utf8');
});

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('benchmark --quick', () => {
  it('writes a report with every section', () => {
    for (const heading of ['## Findings', '## Machine', '## Method', '## Transport alone: echo stage', '## Pipeline: transport per hop', '## Bytes on the wire', '## Ratios (median', '## gRPC against its transport goals', '## Throughput', '## The original project, beside ours', '## Charts']) {
      expect(report).toContain(heading);
    }
  });

  it('renders every chart as a PNG that decodes', async () => {
    for (const file of Object.values(CHART_FILES)) {
      const meta = await sharp(join(out, file)).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(100);
    }
  });

  it('has successful samples for each protocol, with positive medians', () => {
    for (const variant of VARIANTS) {
      const hops = raw.hops.filter((s) => s.variant === variant && !s.error);
      const echo = raw.echo.filter((s) => s.variant === variant && !s.error);
      expect(hops.length).toBeGreaterThan(0);
      expect(echo.length).toBeGreaterThan(0);
      expect(raw.throughput.some((s) => s.variant === variant && s.imagesPerSecond > 0)).toBe(true);
      const sorted = hops.map((s) => s.clientMs).sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(0);
      for (const sample of hops) expect(Object.keys(sample.computeMs)).toHaveLength(4);
    }
  });

  it('counts more bytes for REST JSON+base64 than for gRPC on the same image', () => {
    for (const sample of raw.hops.filter((s) => s.variant === 'rest-json' && !s.error)) {
      const grpc = raw.hops.find((s) => s.variant === 'grpc' && s.payload === sample.payload && s.rep === sample.rep && !s.error);
      expect(grpc).toBeDefined();
      const total = (s: typeof sample) => Object.values(s.bytes).reduce((sum, b) => sum + (b?.up ?? 0) + (b?.down ?? 0), 0);
      expect(total(sample)).toBeGreaterThan(total(grpc!));
      expect(sample.bytes.uploader!.up).toBeGreaterThan(grpc!.bytes.uploader!.up);
    }
  });

  it('counts HTTP/2 frames at the relay for gRPC and REST over HTTP/2 only', () => {
    const relayed = raw.echo.filter((s) => !s.error && s.frames);
    const data = (variant: string) => relayed.filter((s) => s.variant === variant).map((s) => (s.frames!.up.DATA ?? 0) + (s.frames!.down.DATA ?? 0));
    expect(Math.min(...data('grpc'), ...data('rest-h2'))).toBeGreaterThan(1);
    expect(Math.max(...data('rest-binary'), ...data('rest-json'))).toBe(0);
  });

  it('describes the machine', () => {
    expect(raw.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
  });
});
