import { describe, expect, it } from 'vitest';
import type { ReplicaRunSample } from './analysis';
import { renderReplicasReport } from './report';

const run = (protocol: 'grpc' | 'rest', replicas: number, index: number, wallMs: number): ReplicaRunSample => ({
  protocol, replicas, run: index, images: 16, failed: 0, wallMs, replicaCpuSeconds: replicas === 1 ? [6] : [3.5, 3],
});

const report = renderReplicasReport({
  context: { date: '2026-11-29', machine: '2 cores × Test CPU, 8.0 GiB, Node v20.0.0, linux', loadAverage: '2.00 / 3.00 / 4.00 (1, 5, 15 min)' },
  startedAt: '2026-11-29T19:00:00.000Z',
  finishedAt: '2026-11-29T19:05:00.000Z',
  loadAverageAtEnd: '2.50 / 3.00 / 4.00 (1, 5, 15 min)',
  cores: 2,
  photos: ['01-a.png', '02-b.jpg', '03-a.png'],
  concurrency: 8,
  runs: 2,
  replicaCounts: [1, 2],
  samples: [
    run('grpc', 1, 0, 20_000), run('grpc', 1, 1, 8000), run('grpc', 1, 2, 10_000),
    run('grpc', 2, 0, 20_000), run('grpc', 2, 1, 5000), run('grpc', 2, 2, 6400),
    run('rest', 1, 0, 20_000), run('rest', 1, 1, 8000), run('rest', 1, 2, 8000),
    run('rest', 2, 0, 20_000), run('rest', 2, 1, 8000), run('rest', 2, 2, 8000),
  ],
});

describe('the replicas report', () => {
  it('states the date, the machine, the load and what was sent', () => {
    expect(report).toContain('on 2026-11-29, 19:00:00 UTC to 19:05:00 UTC');
    expect(report).toContain('Machine: 2 cores × Test CPU, 8.0 GiB, Node v20.0.0, linux. Load average at start: 2.00');
    expect(report).toContain('3 images (the repository\'s photos repeated: a.png, b.jpg)');
    expect(report).toContain('`ORT_INTRA_OP_THREADS=1`');
  });

  it('gives the throughput of each protocol and replica count with its spread, warm-ups left out, and each replica\'s CPU', () => {
    expect(report).toContain('| gRPC | 1 | 2 | 1.80 | 1.60–2.00 | 0 | 6.00 |');
    expect(report).toContain('| gRPC | 2 | 2 | 2.85 | 2.50–3.20 | 0 | 3.50 / 3.00 |');
  });

  it('gives the gain of 2 replicas over 1 per protocol next to the ideal 2×', () => {
    expect(report).toContain('| gRPC | 1.58× | 1.25×–2.00× | 2.00× |');
    expect(report).toContain('| REST | 1.00× | 1.00×–1.00× | 2.00× |');
  });

  it('lists every run, warm-ups marked', () => {
    expect(report.match(/^\| (gRPC|REST) \| \d \| warm-up \|/gm)).toHaveLength(4);
    expect(report).toContain('| gRPC | 2 | 2 | 6.40 | 2.50 | 0 | 3.50 / 3.00 |');
  });
});
