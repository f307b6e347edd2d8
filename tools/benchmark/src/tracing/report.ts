import type { Summary } from '@imagepipeline/reporting';
import { CPU_ACCOUNTS, totalCpuSeconds } from '../end-to-end/analysis';
import { markdownTable as table, PROTOCOL_TITLES as TITLES } from '../markdown-table';
import { runRecordHeader, type RunRecord } from '../run-record';
import { SETTLE_AFTER_RUN_MS, tracingFigures, type TracingSample } from './analysis';
import { BOUND_TASKS_PER_IMAGE, PIPELINE_SPANS_PER_IMAGE, type TracingOffCost } from './tracing-off-cost';

/** Everything a `benchmark:tracing` run records (`tracing.json`), and the report's input. */
export interface TracingBenchmarkRaw extends RunRecord {
  /** Where the photos came from, and their file names. */
  source: string;
  photos: string[];
  concurrency: number;
  rounds: number;
  /** What tracing's code costs with tracing off, measured in the benchmark's process. */
  tracingOff: TracingOffCost;
  /** The OTEL_* variables of the tracing-on services and client. */
  tracingEnvironment: Record<string, string>;
  samples: TracingSample[];
}

const s2 = (n: number) => n.toFixed(2);
const range = (summary: Summary, format = s2) => `${format(summary.min)}–${format(summary.max)}`;
const withRange = (summary: Summary, format = s2) => `${format(summary.median)} (${range(summary, format)})`;
const s1 = (n: number) => n.toFixed(1);
const s0 = (n: number) => n.toFixed(0);

/** What on ÷ off within the rounds says, in words: a difference only where its whole spread is on one side of 1. */
export function describeRatio(ratios: Summary, what: string): string {
  const spread = `on ÷ off ${s2(ratios.median)}, min–max ${range(ratios)} over ${ratios.n} rounds`;
  if (ratios.n === 0) return `${what}: no round with both runs.`;
  if (ratios.min <= 1 && ratios.max >= 1) return `${what}: no difference this run can tell from the noise (${spread}: the spread includes 1).`;
  const percent = Math.abs(ratios.median - 1) * 100;
  return `${what}: ${percent.toFixed(0)} % ${ratios.median > 1 ? 'more' : 'less'} with tracing on (${spread}).`;
}

/** Tracing off in words: what its no-op spans and bound tasks add to an image, against what an image costs. */
export function describeTracingOff(cost: TracingOffCost, figures: readonly { off: { totalCpuPerImage: Summary } }[]): string {
  const perImageUs = PIPELINE_SPANS_PER_IMAGE * cost.noopSpanUs.median + BOUND_TASKS_PER_IMAGE * cost.boundTaskUs.median;
  const cheapestImageMs = Math.min(...figures.map((f) => f.off.totalCpuPerImage.median * 1000));
  return (
    `no SDK is loaded; the pipeline's ${PIPELINE_SPANS_PER_IMAGE} spans per image are the API's no-ops, ${s2(cost.noopSpanUs.median)} µs each ` +
    `(min–max ${range(cost.noopSpanUs)}, measured in this process), and ${BOUND_TASKS_PER_IMAGE} queued tasks per image are bound to their caller's context, ` +
    `${s2(cost.boundTaskUs.median)} µs each (${range(cost.boundTaskUs)}): about ${s0(perImageUs)} µs of CPU per image, ` +
    `${((perImageUs / 1000 / cheapestImageMs) * 100).toFixed(3)} % of the ${s0(cheapestImageMs)} ms of CPU the cheaper protocol spends on an image here.`
  );
}

export function renderTracingReport(raw: TracingBenchmarkRaw): string {
  const figures = (['grpc', 'rest'] as const).map((protocol) => tracingFigures(raw.samples, protocol, raw.cores));
  const variables = Object.entries(raw.tracingEnvironment).map(([name, value]) => `\`${name}=${value}\``).join(', ');
  const out: string[] = [];
  out.push('# Tracing benchmark: what OpenTelemetry tracing costs the pipeline, gRPC and REST', '');
  out.push(
    ...runRecordHeader('benchmark:tracing', raw),
    '',
    `${raw.photos.length} photos from ${raw.source} (${raw.photos.join(', ')}), sent by the pipeline client (the built \`pipeline-cli\`, concurrency ${raw.concurrency}) through the five built services of each protocol (\`dist/apps/*/main.mjs\`, local topology on 127.0.0.1, default settings). Four stacks run side by side: per protocol, tracing off (no \`OTEL_*\` variable: no SDK loaded) and tracing on, every span sampled (sampling 1.0): ${variables}, a receiver in the benchmark's process. The client runs as a process of its own in both cases, with the variables of the stack it calls: with tracing on it makes each image's root span. One warm-up round, then ${raw.rounds} rounds of one run per protocol off and on; the protocol first and off/on first alternate from round to round. After every run the benchmark waits ${SETTLE_AFTER_RUN_MS / 1000} s (the SDK's default batch delay and a second), longer while export requests still arrive, so that no export lands in the next run.`,
    '',
    'Ratios within this run are the finding; the absolute times belong to this machine and its load.',
    '',
  );

  out.push('## Finding', '');
  for (const f of figures) {
    out.push(
      `- ${TITLES[f.protocol]}: ${describeRatio(f.wallOnOverOff, 'wall time')} ${describeRatio(f.cpuOnOverOff, 'CPU')} ` +
        `With tracing on, ${s1(f.spansPerImage.median)} spans per image reached the receiver in ${s0(f.exportRequestsPerRun.median)} export requests per run.`,
    );
  }
  out.push(`- Tracing off: ${describeTracingOff(raw.tracingOff, figures)}`, '');

  out.push('## Wall time: first request to last result', '');
  out.push(
    table(
      ['protocol', 'tracing', 'runs', 'median s', 'min–max s', 'images/s, median (min–max)', 'failed images'],
      figures.flatMap((f) =>
        (['off', 'on'] as const).map((tracing) => {
          const p = f[tracing];
          return [TITLES[f.protocol], tracing, String(p.runs), s2(p.wallS.median), range(p.wallS), withRange(p.imagesPerSecond), String(p.failed)];
        }),
      ),
    ),
    '',
    table(
      ['protocol', 'wall time on ÷ off within a round, median', 'min–max', 'rounds'],
      figures.map((f) => [TITLES[f.protocol], s2(f.wallOnOverOff.median), range(f.wallOnOverOff), String(f.wallOnOverOff.n)]),
    ),
    '',
  );

  out.push('## CPU seconds per image (median over the runs)', '');
  out.push(
    table(
      ['protocol', 'tracing', ...CPU_ACCOUNTS, 'all, median (min–max)', 'services after the run'],
      figures.flatMap((f) =>
        (['off', 'on'] as const).map((tracing) => {
          const p = f[tracing];
          return [TITLES[f.protocol], tracing, ...CPU_ACCOUNTS.map((a) => s2(p.cpuPerImage[a])), withRange(p.totalCpuPerImage), s2(f.settleCpuPerImage[tracing])];
        }),
      ),
    ),
    '',
    table(
      ['protocol', 'CPU on ÷ off within a round (every process, the wait after the run included), median', 'min–max', 'rounds'],
      figures.map((f) => [TITLES[f.protocol], s2(f.cpuOnOverOff.median), range(f.cpuOnOverOff), String(f.cpuOnOverOff.n)]),
    ),
    '',
    "Each service's from `/proc/<pid>/stat` (utime + stime, 10 ms ticks) before and after the run, and again after the wait that follows it (\"services after the run\": the export of the last spans, mostly); the client's from its first image sent to its last result, as its progress lines tell. Not counted: the client's own export, at its exit, and the receiver (this benchmark's process), which parses every export request on the same cores.",
    '',
  );

  out.push('## What the receiver got (tracing on)', '');
  const services = [...new Set(figures.flatMap((f) => Object.keys(f.spansPerImageByService)))].sort();
  out.push(
    table(
      ['protocol', 'spans per image, median (min–max)', 'traces per image', 'export requests per run, median (min–max)', 'spans from tracing off'],
      figures.map((f) => [TITLES[f.protocol], withRange(f.spansPerImage, s1), withRange(f.tracesPerImage), withRange(f.exportRequestsPerRun, s0), String(f.spansWhenOff)]),
    ),
    '',
    'Spans per image by process (median over the runs):',
    '',
    table(
      ['protocol', ...services],
      figures.map((f) => [TITLES[f.protocol], ...services.map((service) => (service in f.spansPerImageByService ? s1(f.spansPerImageByService[service]) : '–'))]),
    ),
    '',
    'One trace per image means the context crossed every hop, the client\'s root span included; spans from the tracing-off stacks should be none.',
    '',
  );

  out.push('## Every run, in order', '');
  out.push(
    table(
      ['round', 'protocol', 'tracing', 'wall s', 'CPU s', 'CPU s after', 'spans', 'traces', 'export requests', 'failed', 'load average (1 min) at start'],
      raw.samples.map((s) => [
        s.warmup ? 'warm-up' : String(s.round), TITLES[s.protocol], s.tracing, s2(s.wallMs / 1000), s2(totalCpuSeconds(s)), s2(s.settleCpuSeconds),
        String(s.spans), String(s.traces), String(s.exportRequests), String(s.failed), s2(s.loadAverage),
      ]),
    ),
    '',
  );
  return out.join('\n');
}
