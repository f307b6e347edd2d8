import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { STAGE_NAMES } from '@imagepipeline/contracts';
import { summarize, type Summary } from '@imagepipeline/reporting';
import { inSpan } from '@imagepipeline/telemetry';

/**
 * The pipeline's own spans per image with tracing on: the client's root, the orchestrator's
 * handling, a queue and a call span per stage, and each stage's decode, compute and encode. With
 * tracing off each is one of the API's no-op spans.
 */
export const PIPELINE_SPANS_PER_IMAGE = 2 + STAGE_NAMES.length * (2 + 3);
/**
 * Tasks per image that go through an admission queue, each bound to its caller's async context:
 * the orchestrator server's admission, its stage queues, and each stage server's admission.
 */
export const BOUND_TASKS_PER_IMAGE = 1 + 2 * STAGE_NAMES.length;

/** What tracing's code costs when tracing is off, measured in this process (no SDK registered). */
export interface TracingOffCost {
  /** Microseconds one no-op span adds to an awaited call (`inSpan` around it against the call alone). */
  noopSpanUs: Summary;
  /** Microseconds binding a queued task to its caller's async context adds (`AsyncResource.bind`). */
  boundTaskUs: Summary;
}

const nothing = async () => undefined;

/** Microseconds per call that `measured` takes over `baseline`, over `calls` calls each, alternated `repetitions` times. */
async function extraMicroseconds(measured: () => Promise<unknown>, baseline: () => Promise<unknown>, calls: number, repetitions: number): Promise<Summary> {
  const perCall = async (call: () => Promise<unknown>) => {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await call();
    return ((performance.now() - start) * 1000) / calls;
  };
  const extras: number[] = [];
  for (let repetition = 0; repetition <= repetitions; repetition++) {
    const [first, second] = repetition % 2 === 0 ? [measured, baseline] : [baseline, measured];
    const a = await perCall(first);
    const b = await perCall(second);
    if (repetition > 0) extras.push(repetition % 2 === 0 ? a - b : b - a); // the first pair warms up
  }
  return summarize(extras);
}

/** Measures it; must run before any tracing SDK is registered in this process (none is in the benchmark). */
export async function measureTracingOffCost(calls = 50_000, repetitions = 10): Promise<TracingOffCost> {
  return {
    noopSpanUs: await extraMicroseconds(() => inSpan('no-op', { 'pipeline.stage': 'upload' }, nothing), nothing, calls, repetitions),
    boundTaskUs: await extraMicroseconds(() => AsyncResource.bind(nothing)(), nothing, calls, repetitions),
  };
}
