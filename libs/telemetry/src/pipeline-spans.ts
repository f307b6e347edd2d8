import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/** The tracer of the pipeline's own spans; a no-op until a tracing SDK is started. */
const tracer = trace.getTracer('image-pipeline');

/** Span names, the same in every process, so a trace reads the same for both protocols. */
export const SPAN_NAMES = {
  /** The pipeline client's whole call for one image: the root of the image's trace. */
  clientImage: 'client image',
  /** The orchestrator's handling of one image, from admission to its result. */
  orchestratorProcess: 'orchestrator process',
  /** An image waiting in the orchestrator's queue of one stage. */
  stageQueue: (stage: string) => `${stage} queue`,
  /** The orchestrator's call to one stage service, from leaving the queue to the answer. */
  stageCall: (stage: string) => `${stage} call`,
  /** A stage service's own steps. */
  stageStep: (stage: string, step: StageStep) => `${stage} ${step}`,
} as const;

export type StageStep = 'decode' | 'compute' | 'encode';

/** Times in epoch milliseconds: a span drawn from the same clock readings as the run's timeline. */
export interface SpanTimes {
  startMs: number;
  endMs?: number;
}

/** How `inSpan` makes its span: when it starts (now by default), and `client` for an outgoing call no instrumentation sees. */
export interface SpanOptions {
  startMs?: number;
  kind?: 'internal' | 'client';
}

/**
 * Runs `work` inside a new span, child of the active one, which it ends when `work` settles; a
 * rejection is recorded on the span (status ERROR) and passed on. With `options.startMs` the span
 * starts at that instant instead of now; `work` may set its end from its own clock, add attributes,
 * and mark the span failed when it answers a failure rather than throwing it.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: SpanControl) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const kind = options.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL;
  return tracer.startActiveSpan(name, { kind, attributes, startTime: options.startMs }, async (span) => {
    let endMs: number | undefined;
    try {
      return await work({
        setEndMs: (ms) => (endMs = ms),
        setAttributes: (more) => span.setAttributes(more),
        fail: (error) => failed(span, error),
      });
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end(endMs);
    }
  });
}

/** What `inSpan` hands its work. */
export interface SpanControl {
  /** Ends the span at this instant (epoch milliseconds) rather than when the work settles. */
  setEndMs(ms: number): void;
  setAttributes(attributes: Attributes): void;
  /** Marks the span failed (status ERROR, the exception recorded). */
  fail(error: unknown): void;
}

/** Records a span that already happened, from `times.startMs` to `times.endMs`, as a child of the active span. */
export function recordSpan(name: string, attributes: Attributes, times: Required<SpanTimes>): void {
  tracer.startSpan(name, { attributes, startTime: times.startMs }, context.active()).end(times.endMs);
}

/**
 * The headers that carry the active span's W3C trace context (`traceparent`, `tracestate`) to the
 * next process; none when tracing is off. For calls the instrumentations do not see (node:http2).
 */
export function traceContextHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

function failed(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
