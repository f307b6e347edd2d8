import { resolve } from 'node:path';
import { parseCommandLine } from '@imagepipeline/config';
import { requireBasePort, requireCounts } from '../option-checks';

export const PIPELINE_BENCHMARK_USAGE = `usage: npx nx run benchmark:pipeline [--runs N] [--input DIR]... [--concurrency N] [--out DIR] [--base-port N]

The pipeline client (the code of \`npm run pipeline\`) sends the same photos through the built
services of each protocol, both stacks started side by side: one warm-up run per protocol, then N
runs per protocol, interleaved (gRPC, REST, REST, gRPC, …: the first alternates every round).
Reports the wall time from the first request to the last result (median, min–max, IQR), REST ÷ gRPC
within each round, CPU seconds per image of every service and of the client, and the CPU floor
(Σ CPU ÷ cores) the wall time is compared with. Writes <out>/pipeline.md and pipeline.json.
A full run (7 runs per protocol) takes about 1.5 min on 2 cores; a short run (--runs 1) about 30 s.
Needs the model files (README, "Models").

  --runs N          measured runs per protocol (default 7)
  --input DIR       photos to send; repeat for more folders (default: samples/ and the test photos)
  --concurrency N   images in flight, as the client's --concurrency (default 8)
  --out DIR         where the report goes (default results/benchmarks)
  --base-port N     gRPC services on N…N+4, REST services on N+10…N+14 (default 26000)
  -h, --help        this text
`;

export interface PipelineBenchmarkSettings {
  runs: number;
  /** Folders of photos; empty means the repository's. */
  inputDirs: string[];
  concurrency: number;
  out: string;
  basePort: number;
}

export function readPipelineBenchmarkSettings(argv: string[], defaults: { out: string }): PipelineBenchmarkSettings {
  const values = parseCommandLine(
    PIPELINE_BENCHMARK_USAGE,
    {
      runs: { type: 'string', default: '7' },
      input: { type: 'string', multiple: true, default: [] },
      concurrency: { type: 'string', default: '8' },
      out: { type: 'string', default: defaults.out },
      'base-port': { type: 'string', default: '26000' },
    },
    argv,
  );
  const settings = {
    runs: Number(values.runs),
    inputDirs: (values.input ?? []).map((dir) => resolve(dir)),
    concurrency: Number(values.concurrency),
    out: resolve(values.out ?? defaults.out),
    basePort: Number(values['base-port']),
  };
  requireCounts(settings, ['runs', 'concurrency'], values);
  requireBasePort(settings.basePort, values['base-port']);
  return settings;
}
