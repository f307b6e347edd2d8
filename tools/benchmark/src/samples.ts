import type { ServiceName } from '@imagepipeline/config';
import type { ByteCounts, RelayedFrames } from '@imagepipeline/topology';
import type { Variant } from './variants';

/** The hops of the pipeline: the client's to the orchestrator, then one per stage. */
export const HOPS = ['client', 'upload', 'noise_reduction', 'background_removal', 'classification'] as const;
export type Hop = (typeof HOPS)[number];

/** One image alone through the whole pipeline. */
export interface HopSample {
  topology: string;
  variant: Variant;
  payload: string;
  megapixels: number;
  payloadBytes: number;
  rep: number;
  clientMs: number;
  totalMs: number;
  /** Observed − compute for each stage hop; client − orchestrator total for the client hop. */
  transportMs: Partial<Record<Hop, number>>;
  computeMs: Partial<Record<Hop, number>>;
  /** Bytes at each service's relay during this image: `up` requests, `down` answers. */
  bytes: Partial<Record<ServiceName, ByteCounts>>;
  error?: string;
}

/** One call to the echo stage: transport alone. */
export interface EchoSample {
  topology: string;
  variant: Variant;
  payload: string;
  megapixels: number;
  payloadBytes: number;
  rep: number;
  observedMs: number;
  computeMs: number;
  transportMs: number;
  /** CPU time of the calling process (the benchmark) during the call, all its threads. */
  clientCpuMs?: number;
  /** CPU time of the echo stage's process during the call, all its threads. */
  serverCpuMs?: number;
  /** Counted at the relay; NaN when called directly (no relay). */
  bytes: ByteCounts;
  /** HTTP/2 frames by type at the relay during the call (gRPC, REST over HTTP/2); none when called directly. */
  frames?: RelayedFrames;
  error?: string;
}

/** One concurrency level of one variant: images/s with the pipeline saturated. */
export interface ThroughputSample {
  topology: string;
  variant: Variant;
  concurrency: number;
  images: number;
  failed: number;
  wallMs: number;
  imagesPerSecond: number;
  latenciesMs: number[];
  /** CPU seconds each service used during this level. */
  cpuSeconds: Partial<Record<ServiceName, number>>;
}

/** Peak RSS of each service process of a variant at the end of a topology's run. */
export interface ResourceSample {
  topology: string;
  variant: Variant;
  service: ServiceName;
  peakRssBytes: number;
  cpuSecondsTotal: number;
}

export interface BenchmarkRaw {
  startedAt: string;
  finishedAt?: string;
  quick: boolean;
  machine: unknown;
  settings: unknown;
  notes: string[];
  hops: HopSample[];
  echo: EchoSample[];
  throughput: ThroughputSample[];
  resources: ResourceSample[];
}
