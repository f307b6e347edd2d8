import { resolve } from 'node:path';
import { parseCommandLine } from '@imagepipeline/config';
import { requireCounts } from '../option-checks';

export const REPLICAS_BENCHMARK_USAGE = `usage: npx nx run benchmark:replicas [--runs N] [--images N] [--concurrency N] [--out DIR]

Throughput of the pipeline with 1 and then 2 background-remover replicas, each on a host of its own
in the network-namespace topology (needs root and iproute2), for gRPC and for REST. Every service
runs with ORT_INTRA_OP_THREADS=1, so a replica uses one core; the orchestrator calls as many
background removals at once as there are replicas. The pipeline client sends the repository's photos
(repeated up to --images): one warm-up run, then N runs per protocol and replica count. Reports
images/s (median, min–max), the gain of 2 replicas over 1 next to the ideal 2×, and each replica's
CPU seconds. Writes <out>/replicas.md and replicas.json.
A full run (5 runs each) takes about 3.5 min on 2 cores; a short run (--runs 1) about 1.5 min.
Needs the model files (README, "Models").

  --runs N          measured runs per protocol and replica count (default 5)
  --images N        images per run, the repository's photos repeated (default 16)
  --concurrency N   images in flight, as the client's --concurrency (default 8)
  --out DIR         where the report goes (default results/benchmarks)
  -h, --help        this text
`;

export interface ReplicasBenchmarkSettings {
  runs: number;
  images: number;
  concurrency: number;
  out: string;
}

export function readReplicasBenchmarkSettings(argv: string[], defaults: { out: string }): ReplicasBenchmarkSettings {
  const values = parseCommandLine(
    REPLICAS_BENCHMARK_USAGE,
    {
      runs: { type: 'string', default: '5' },
      images: { type: 'string', default: '16' },
      concurrency: { type: 'string', default: '8' },
      out: { type: 'string', default: defaults.out },
    },
    argv,
  );
  const settings = {
    runs: Number(values.runs),
    images: Number(values.images),
    concurrency: Number(values.concurrency),
    out: resolve(values.out ?? defaults.out),
  };
  requireCounts(settings, ['runs', 'images', 'concurrency'], values);
  return settings;
}
