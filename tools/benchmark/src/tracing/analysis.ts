import type { Protocol } from '@imagepipeline/config';
import { summarize, type Summary } from '@imagepipeline/reporting';
import { protocolFigures, totalCpuSeconds, type ProtocolFigures, type RunSample } from '../end-to-end/analysis';

export type Tracing = 'off' | 'on';

/** What the OTLP receiver got from one run, the exporters' batch delay waited out after it. */
export interface ReceivedTelemetry {
  spans: number;
  /** Spans by the sending process's `service.name` (the app: `orchestrator-grpc`, `pipeline-cli`, …). */
  spansByService: Record<string, number>;
  /** Distinct trace ids: one per image when the context crosses every hop. */
  traces: number;
  exportRequests: number;
}

/** One run of `benchmark:tracing`: a pipeline run, whether its stack traced, and what arrived. */
export interface TracingSample extends RunSample, ReceivedTelemetry {
  tracing: Tracing;
  /** How long the benchmark waited after the run for the exporters (the same after every run). */
  settleMs: number;
  /** CPU seconds all the services used while it waited: the export of the run's last spans, mostly. */
  settleCpuSeconds: number;
}

/** Off and on in round `round`: the first alternates, as the protocols do (`roundOrder`). */
export function tracingOrder(round: number): Tracing[] {
  return round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
}

export interface TracingFigures {
  protocol: Protocol;
  off: ProtocolFigures;
  on: ProtocolFigures;
  /** Wall time on ÷ off within each round. */
  wallOnOverOff: Summary;
  /** CPU seconds of every process, the wait after the run included, on ÷ off within each round. */
  cpuOnOverOff: Summary;
  /** Per image: the services' CPU seconds while the benchmark waited after the run (median over the runs). */
  settleCpuPerImage: Record<Tracing, number>;
  /** Of the tracing-on runs. */
  spansPerImage: Summary;
  tracesPerImage: Summary;
  exportRequestsPerRun: Summary;
  /** Median over the tracing-on runs of each process's spans per image. */
  spansPerImageByService: Record<string, number>;
  /** Spans the tracing-off stack sent: none, unless tracing leaked into it. */
  spansWhenOff: number;
}

const measured = (samples: readonly TracingSample[], protocol: Protocol, tracing: Tracing) =>
  samples.filter((s) => !s.warmup && s.protocol === protocol && s.tracing === tracing);

/** CPU seconds of every process in a run and in the wait after it. */
const cpuWithSettle = (s: TracingSample) => totalCpuSeconds(s) + s.settleCpuSeconds;

/** `value(on) ÷ value(off)` within each measured round that has both, for one protocol. */
export function onOverOffPerRound(samples: readonly TracingSample[], protocol: Protocol, value: (s: TracingSample) => number): number[] {
  const off = measured(samples, protocol, 'off');
  const on = measured(samples, protocol, 'on');
  return off.flatMap((o) => {
    const paired = on.find((s) => s.round === o.round);
    return paired ? [value(paired) / value(o)] : [];
  });
}

/** The measured runs of one protocol, off against on. */
export function tracingFigures(samples: readonly TracingSample[], protocol: Protocol, cores: number): TracingFigures {
  const on = measured(samples, protocol, 'on');
  const services = [...new Set(on.flatMap((s) => Object.keys(s.spansByService)))].sort();
  const perImage = (s: TracingSample, n: number) => n / s.images;
  return {
    protocol,
    off: protocolFigures(samples.filter((s) => s.tracing === 'off'), protocol, cores),
    on: protocolFigures(samples.filter((s) => s.tracing === 'on'), protocol, cores),
    wallOnOverOff: summarize(onOverOffPerRound(samples, protocol, (s) => s.wallMs)),
    cpuOnOverOff: summarize(onOverOffPerRound(samples, protocol, cpuWithSettle)),
    settleCpuPerImage: {
      off: summarize(measured(samples, protocol, 'off').map((s) => perImage(s, s.settleCpuSeconds))).median,
      on: summarize(on.map((s) => perImage(s, s.settleCpuSeconds))).median,
    },
    spansPerImage: summarize(on.map((s) => perImage(s, s.spans))),
    tracesPerImage: summarize(on.map((s) => perImage(s, s.traces))),
    exportRequestsPerRun: summarize(on.map((s) => s.exportRequests)),
    spansPerImageByService: Object.fromEntries(services.map((service) => [service, summarize(on.map((s) => perImage(s, s.spansByService[service] ?? 0))).median])),
    spansWhenOff: samples.filter((s) => s.protocol === protocol && s.tracing === 'off').reduce((sum, s) => sum + s.spans, 0),
  };
}

/**
 * The wait after every run, before the next: the SDK's default batch delay
 * (`OTEL_BSP_SCHEDULE_DELAY`, 5 s) and a second for the export; longer while exports still arrive.
 */
export const SETTLE_AFTER_RUN_MS = 6000;
