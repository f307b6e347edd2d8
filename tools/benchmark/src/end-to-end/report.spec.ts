import { describe, expect, it } from 'vitest';
import type { RunSample } from './analysis';
import { renderPipelineReport } from './report';

const run = (protocol: 'grpc' | 'rest', round: number, wallMs: number): RunSample => ({
  protocol, round, warmup: round === 0, wallMs, images: 6, failed: 0, errors: [], loadAverage: 2.5,
  cpuSeconds: { orchestrator: 0.2, uploader: 0.1, 'noise-reducer': 0.1, 'background-remover': 4, classifier: 0.2, client: 0.1 },
});

const report = renderPipelineReport({
  context: { date: '2026-11-29', machine: '2 cores × Test CPU, 8.0 GiB, Node v20.0.0, linux', loadAverage: '2.00 / 3.00 / 4.00 (1, 5, 15 min)' },
  startedAt: '2026-11-29T18:00:00.000Z',
  finishedAt: '2026-11-29T18:01:00.000Z',
  loadAverageAtEnd: '2.50 / 3.00 / 4.00 (1, 5, 15 min)',
  cores: 2,
  source: '`samples/`',
  photos: ['a.png', 'b.jpg'],
  concurrency: 8,
  runsPerProtocol: 2,
  samples: [run('grpc', 0, 5000), run('rest', 0, 5000), run('grpc', 1, 3000), run('rest', 1, 3300), run('rest', 2, 4400), run('grpc', 2, 4000)],
});

describe('the end-to-end report', () => {
  it('states the date, the machine and the load at start and end', () => {
    expect(report).toContain('on 2026-11-29, 18:00:00 UTC to 18:01:00 UTC');
    expect(report).toContain('Machine: 2 cores × Test CPU, 8.0 GiB, Node v20.0.0, linux. Load average at start: 2.00 / 3.00 / 4.00 (1, 5, 15 min); at the end: 2.50');
  });

  it('gives each wall time with its spread, and REST ÷ gRPC within a round', () => {
    expect(report).toContain('| gRPC | 2 | 3.50 | 3.00–4.00 | 3.25–3.75 | 1.75 (1.50–2.00) | 0 |');
    expect(report).toContain('REST ÷ gRPC wall time within a round: 1.10 (min–max 1.10–1.10, n=2).');
  });

  it('gives CPU per image per process and the CPU floor', () => {
    expect(report).toContain('| gRPC | 0.03 | 0.02 | 0.02 | 0.67 | 0.03 | 0.02 | 0.78 (0.78–0.78) |');
    expect(report).toContain('| gRPC | 4.70 | 2.35 (2.35–2.35) | 3.50 | 1.49 (1.28–1.70) |');
  });

  it('lists every run, warm-ups marked', () => {
    expect(report.match(/^\| warm-up \|/gm)).toHaveLength(2);
    expect(report).toContain('| 2 | REST | 4.40 | 4.70 | 2.35 | 1.87 | 0 | 2.50 |');
  });

  it("labels the original's figure as its own", () => {
    expect(report).toContain("## The original project's figure (its hardware, its eight photos)");
    expect(report).toContain('Not measured here, so no ratio');
  });
});
