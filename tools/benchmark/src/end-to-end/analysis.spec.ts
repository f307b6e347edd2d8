import { describe, expect, it } from 'vitest';
import { cpuFloorSeconds, protocolFigures, restOverGrpcPerRound, roundOrder, type RunSample } from './analysis';

const cpu = (backgroundRemover: number) => ({ orchestrator: 0.1, uploader: 0.1, 'noise-reducer': 0.1, 'background-remover': backgroundRemover, classifier: 0.1, client: 0.1 });
const sample = (protocol: 'grpc' | 'rest', round: number, wallMs: number, backgroundRemover = 3.5): RunSample => ({
  protocol, round, warmup: round === 0, wallMs, images: 4, failed: 0, errors: [], cpuSeconds: cpu(backgroundRemover), loadAverage: 1,
});

describe('the end-to-end analysis', () => {
  const samples = [sample('grpc', 0, 9000), sample('rest', 0, 9000), sample('grpc', 1, 2000), sample('rest', 1, 3000), sample('rest', 2, 2000, 5.5), sample('grpc', 2, 2000)];

  it('takes the CPU floor as all the CPU seconds over the cores', () => {
    expect(cpuFloorSeconds(sample('grpc', 1, 2000), 2)).toBeCloseTo(2);
  });

  it('summarises the measured runs of a protocol, leaving out the warm-up', () => {
    const rest = protocolFigures(samples, 'rest', 2);
    expect(rest.runs).toBe(2);
    expect(rest.wallS).toMatchObject({ min: 2, max: 3, median: 2.5 });
    expect(rest.cpuPerImage['background-remover']).toBeCloseTo((3.5 / 4 + 5.5 / 4) / 2);
    expect([rest.totalCpuS.min, rest.totalCpuS.max].map((n) => n.toFixed(6))).toEqual(['4.000000', '6.000000']);
    expect([rest.floorS.min, rest.floorS.max].map((n) => n.toFixed(6))).toEqual(['2.000000', '3.000000']);
    // wall 3 s on a 2 s floor (round 1), 2 s on a 3 s floor (round 2)
    expect(rest.wallOverFloor.min).toBeCloseTo(2 / 3);
    expect(rest.wallOverFloor.max).toBeCloseTo(1.5);
  });

  it('divides REST by gRPC within each measured round', () => {
    expect(restOverGrpcPerRound(samples)).toEqual([1.5, 1]);
  });

  it('alternates which protocol goes first', () => {
    expect([0, 1, 2].map(roundOrder)).toEqual([['grpc', 'rest'], ['rest', 'grpc'], ['grpc', 'rest']]);
  });
});
