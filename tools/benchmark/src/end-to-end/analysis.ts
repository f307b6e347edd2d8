import { SERVICE_NAMES, type Protocol } from '@imagepipeline/config';
import { summarize, type Summary } from '@imagepipeline/reporting';
import type { ClientRun, CpuAccount } from './client-run';

/** One run as the report sees it: which round, whether it warmed up, how loaded the machine was. */
export interface RunSample extends ClientRun {
  round: number;
  warmup: boolean;
  /** One-minute load average when the run began (other work on a shared machine shows here). */
  loadAverage: number;
}

export const CPU_ACCOUNTS: readonly CpuAccount[] = [...SERVICE_NAMES, 'client'];

/** CPU seconds of every process of a run together. */
export const totalCpuSeconds = (run: ClientRun): number => CPU_ACCOUNTS.reduce((sum, account) => sum + run.cpuSeconds[account], 0);

/**
 * The shortest wall time the run's CPU work allows on `cores` cores, all busy all the time: a
 * wall time near it means the pipeline kept the machine busy; far above, it waited.
 */
export const cpuFloorSeconds = (run: ClientRun, cores: number): number => totalCpuSeconds(run) / cores;

export interface ProtocolFigures {
  protocol: Protocol;
  runs: number;
  images: number;
  failed: number;
  wallS: Summary;
  imagesPerSecond: Summary;
  /** Median over the runs of each process's CPU seconds per image. */
  cpuPerImage: Record<CpuAccount, number>;
  totalCpuPerImage: Summary;
  totalCpuS: Summary;
  floorS: Summary;
  wallOverFloor: Summary;
}

/** The measured runs of one protocol, summarised. */
export function protocolFigures(samples: readonly RunSample[], protocol: Protocol, cores: number): ProtocolFigures {
  const runs = samples.filter((s) => s.protocol === protocol && !s.warmup);
  const wallS = (s: RunSample) => s.wallMs / 1000;
  return {
    protocol,
    runs: runs.length,
    images: runs[0]?.images ?? 0,
    failed: runs.reduce((sum, s) => sum + s.failed, 0),
    wallS: summarize(runs.map(wallS)),
    imagesPerSecond: summarize(runs.map((s) => (s.images - s.failed) / wallS(s))),
    cpuPerImage: Object.fromEntries(
      CPU_ACCOUNTS.map((account) => [account, summarize(runs.map((s) => s.cpuSeconds[account] / s.images)).median]),
    ) as Record<CpuAccount, number>,
    totalCpuPerImage: summarize(runs.map((s) => totalCpuSeconds(s) / s.images)),
    totalCpuS: summarize(runs.map(totalCpuSeconds)),
    floorS: summarize(runs.map((s) => cpuFloorSeconds(s, cores))),
    wallOverFloor: summarize(runs.map((s) => wallS(s) / cpuFloorSeconds(s, cores))),
  };
}

/** REST's wall time ÷ gRPC's within each round that has both. */
export function restOverGrpcPerRound(samples: readonly RunSample[]): number[] {
  const measured = samples.filter((s) => !s.warmup);
  return [...new Set(measured.map((s) => s.round))].flatMap((round) => {
    const grpc = measured.find((s) => s.round === round && s.protocol === 'grpc');
    const rest = measured.find((s) => s.round === round && s.protocol === 'rest');
    return grpc && rest ? [rest.wallMs / grpc.wallMs] : [];
  });
}

/** The protocols of round `round` in the order they run: the first alternates, so drift in the machine's load favours neither. */
export function roundOrder(round: number): Protocol[] {
  return round % 2 === 0 ? ['grpc', 'rest'] : ['rest', 'grpc'];
}
