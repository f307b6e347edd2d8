import { resolve } from 'node:path';
import { parseCommandLine } from '@imagepipeline/config';
import { requireBasePort, requireCounts } from '../option-checks';

export const TRACING_BENCHMARK_USAGE = `usage: npx nx run benchmark:tracing [--rounds N] [--input DIR]... [--concurrency N] [--out DIR] [--base-port N]

What OpenTelemetry tracing costs the pipeline, for gRPC and for REST. Four stacks of the five built
services run side by side: per protocol, one with tracing off (no OTEL_* variables) and one with
tracing on, every span sampled (OTEL_TRACES_SAMPLER=always_on) and sent over OTLP/HTTP JSON to a
receiver in this process. The pipeline client (the built pipeline-cli, a process of its own in
both cases, with the same OTEL_* variables as the stack it calls) sends the same photos through
each: a warm-up round, then N rounds, the protocol first and off/on first alternating from round to
round. After every run, the benchmark waits out the exporters' batch delay, so that no export
lands in the next run. Reports per protocol the wall time off and on (median, min–max), on ÷ off
within each round (median, min–max), CPU seconds per image, and the spans, traces and export
requests received per image. Writes <out>/tracing.md and tracing.json.
A default run (3 rounds) takes about 3.5 min on 2 cores; --rounds 1 about 2 min.
Needs the model files (README, "Models").

  --rounds N        measured rounds, each one run per protocol off and on (default 3)
  --input DIR       photos to send; repeat for more folders (default: samples/ and the test photos)
  --concurrency N   images in flight, as the client's --concurrency (default 8)
  --out DIR         where the report goes (default results/benchmarks)
  --base-port N     tracing off: gRPC on N…N+4, REST on N+10…N+14; tracing on: the same
                    20 ports higher (default 27500)
  -h, --help        this text
`;

export interface TracingBenchmarkSettings {
  rounds: number;
  /** Folders of photos; empty means the repository's. */
  inputDirs: string[];
  concurrency: number;
  out: string;
  basePort: number;
}

export function readTracingBenchmarkSettings(argv: string[], defaults: { out: string }): TracingBenchmarkSettings {
  const values = parseCommandLine(
    TRACING_BENCHMARK_USAGE,
    {
      rounds: { type: 'string', default: '3' },
      input: { type: 'string', multiple: true, default: [] },
      concurrency: { type: 'string', default: '8' },
      out: { type: 'string', default: defaults.out },
      // 27500–27534: clear of benchmark:tls (27000–27012), benchmark:pipeline (260xx, 230xx in its
      // spec), benchmark:run (24xxx–25xxx), tools/e2e (22xxx) and tools/reliability (23xxx).
      'base-port': { type: 'string', default: '27500' },
    },
    argv,
  );
  const settings = {
    rounds: Number(values.rounds),
    inputDirs: (values.input ?? []).map((dir) => resolve(dir)),
    concurrency: Number(values.concurrency),
    out: resolve(values.out ?? defaults.out),
    basePort: Number(values['base-port']),
  };
  requireCounts(settings, ['rounds', 'concurrency'], values);
  requireBasePort(settings.basePort, values['base-port']);
  return settings;
}
