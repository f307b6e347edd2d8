import type { Protocol } from '@imagepipeline/config';
import { summarize, type Summary } from '@imagepipeline/reporting';

/** One run of the pipeline client with a number of background-remover replicas. */
export interface ReplicaRunSample {
  protocol: Protocol;
  replicas: number;
  /** 0 for the warm-up run, then 1, 2, … */
  run: number;
  images: number;
  failed: number;
  wallMs: number;
  /** CPU seconds (user + system) each background-remover replica used during the run, first replica first. */
  replicaCpuSeconds: number[];
}

export interface ReplicaFigures {
  protocol: Protocol;
  replicas: number;
  runs: number;
  failed: number;
  imagesPerSecond: Summary;
  /** Median over the runs of each replica's CPU seconds. */
  replicaCpuSeconds: number[];
}

export const imagesPerSecond = (run: ReplicaRunSample): number => (run.images - run.failed) / (run.wallMs / 1000);

/** The measured (not warm-up) runs of one protocol and replica count, summarised. */
export function replicaFigures(samples: readonly ReplicaRunSample[], protocol: Protocol, replicas: number): ReplicaFigures {
  const runs = samples.filter((s) => s.protocol === protocol && s.replicas === replicas && s.run > 0);
  const replicaCount = runs[0]?.replicaCpuSeconds.length ?? 0;
  return {
    protocol,
    replicas,
    runs: runs.length,
    failed: runs.reduce((sum, s) => sum + s.failed, 0),
    imagesPerSecond: summarize(runs.map(imagesPerSecond)),
    replicaCpuSeconds: Array.from({ length: replicaCount }, (_, i) => summarize(runs.map((s) => s.replicaCpuSeconds[i])).median),
  };
}

/** The throughput gain of `more` replicas over `fewer`: median ÷ median, and the widest and narrowest the runs allow. */
export interface Gain {
  median: number;
  min: number;
  max: number;
}

export function throughputGain(fewer: ReplicaFigures, more: ReplicaFigures): Gain {
  return {
    median: more.imagesPerSecond.median / fewer.imagesPerSecond.median,
    min: more.imagesPerSecond.min / fewer.imagesPerSecond.max,
    max: more.imagesPerSecond.max / fewer.imagesPerSecond.min,
  };
}
