// `nx run benchmark:tracing`: the pipeline client over the same photos through each protocol's built
// services with tracing off and with tracing on (every span sampled, sent to an OTLP receiver here),
// interleaved, several rounds; wall time off and on, on ÷ off per round, CPU per image, and the spans
// received per image. Options: TRACING_BENCHMARK_USAGE in ./settings.ts. Writes tracing.md and tracing.json.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { collectImageFiles } from '@imagepipeline/client';
import type { Protocol } from '@imagepipeline/config';
import { OtlpReceiver, type ReceivedSpan } from '@imagepipeline/telemetry/testing';
import { REPOSITORY_PHOTO_DIRS } from '@imagepipeline/topology';
import { roundOrder } from '../end-to-end/analysis';
import { runClientOnce, serviceCpu } from '../end-to-end/client-run';
import { withBothProtocols, type ProtocolServices } from '../end-to-end/protocol-services';
import { startRunRecord, writeRunReport } from '../run-record';
import { SETTLE_AFTER_RUN_MS, tracingOrder, type ReceivedTelemetry, type Tracing, type TracingSample } from './analysis';
import { renderTracingReport, type TracingBenchmarkRaw } from './report';
import { measureTracingOffCost } from './tracing-off-cost';
import { readTracingBenchmarkSettings } from './settings';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const settings = readTracingBenchmarkSettings(process.argv.slice(2), { out: join(root, 'results/benchmarks') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const record = startRunRecord();
const inputs = settings.inputDirs.length > 0 ? settings.inputDirs : REPOSITORY_PHOTO_DIRS.map((dir) => join(root, dir));
const photos = (await collectImageFiles(inputs)).map((file) => basename(file));
const workDir = await mkdtemp(join(os.tmpdir(), 'tracing-benchmark-'));

// A process traces as its environment says when it starts: no OTEL_* variable of this shell may
// reach the tracing-off services or clients (nor change the tracing-on ones).
for (const name of Object.keys(process.env)) if (name.startsWith('OTEL_')) delete process.env[name];
// Before any service starts: the machine is as quiet as it gets.
const tracingOff = await measureTracingOffCost();
log(`tracing off: a no-op span ${tracingOff.noopSpanUs.median.toFixed(2)} µs, a bound task ${tracingOff.boundTaskUs.median.toFixed(2)} µs`);
const receiver = await OtlpReceiver.start();
const environment: Record<Tracing, Record<string, string>> = {
  off: {},
  on: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'always_on' },
};

/**
 * Waits out the exporters' batch delay after a run, then as long as export requests keep coming,
 * so that no export lands in the next run; the same after every run, off or on. Returns the wait.
 */
async function settle(): Promise<number> {
  const start = Date.now();
  await sleep(SETTLE_AFTER_RUN_MS);
  for (let seen = -1; seen !== receiver.exportRequests && Date.now() - start < 4 * SETTLE_AFTER_RUN_MS; ) {
    seen = receiver.exportRequests;
    await sleep(500);
  }
  return Date.now() - start;
}

function telemetrySince(spans: readonly ReceivedSpan[], exportRequests: number): ReceivedTelemetry {
  const spansByService: Record<string, number> = {};
  for (const span of spans) spansByService[span.service] = (spansByService[span.service] ?? 0) + 1;
  return { spans: spans.length, spansByService, traces: new Set(spans.map((span) => span.traceId)).size, exportRequests };
}

const sumCpu = (cpu: Record<string, number>) => Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0);

const samples: TracingSample[] = [];
try {
  await withBothProtocols({ root, workDir: join(workDir, 'off'), basePort: settings.basePort, env: environment.off }, (off) =>
    withBothProtocols({ root, workDir: join(workDir, 'on'), basePort: settings.basePort + 20, env: environment.on }, async (on) => {
      const stacks: Record<Tracing, Record<Protocol, ProtocolServices>> = { off, on };
      for (let round = 0; round <= settings.rounds; round++) {
        for (const protocol of roundOrder(round)) {
          for (const tracing of tracingOrder(round)) {
            const services = stacks[tracing][protocol];
            const loadAverage = os.loadavg()[0];
            const [spansBefore, requestsBefore] = [receiver.spans.length, receiver.exportRequests];
            const run = await runClientOnce(services, {
              inputs, concurrency: settings.concurrency, out: join(workDir, 'client'), ownProcess: { root, env: environment[tracing] },
            });
            const cpuAtEnd = sumCpu(await serviceCpu(services));
            const settleMs = await settle();
            const settleCpuSeconds = sumCpu(await serviceCpu(services)) - cpuAtEnd;
            const received = telemetrySince(receiver.spans.slice(spansBefore), receiver.exportRequests - requestsBefore);
            samples.push({ ...run, round, warmup: round === 0, loadAverage, tracing, settleMs, settleCpuSeconds, ...received });
            log(
              `${round === 0 ? 'warm-up' : `round ${round}`} ${protocol} tracing ${tracing}: ${(run.wallMs / 1000).toFixed(2)} s, ` +
                `${received.spans} spans in ${received.exportRequests} export requests, ${run.failed} failed`,
            );
            for (const error of run.errors) log(`  failed: ${error}`);
          }
        }
      }
    }),
  );
} finally {
  await receiver.close();
  await rm(workDir, { recursive: true, force: true });
}

const raw: TracingBenchmarkRaw = {
  ...record.finish(),
  source: (settings.inputDirs.length > 0 ? settings.inputDirs : REPOSITORY_PHOTO_DIRS.map((dir) => `${dir}/`)).map((dir) => `\`${dir}\``).join(' and '),
  photos,
  concurrency: settings.concurrency,
  rounds: settings.rounds,
  tracingOff,
  tracingEnvironment: { ...environment.on, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:<the receiver\'s port>' },
  samples,
};
log(`wrote ${await writeRunReport(settings.out, 'tracing', raw, renderTracingReport(raw))}`);
const failed = samples.reduce((sum, sample) => sum + sample.failed, 0);
process.exitCode = failed > 0 ? 1 : 0;
