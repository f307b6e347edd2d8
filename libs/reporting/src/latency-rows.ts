import type { StageSpan } from '@imagepipeline/contracts';
import { isImageFailure, type ImageOutcome, type RunReport } from './run-report';
import { stagesInOrder } from './stage-order';

/** Stage column value of the per-image total rows. */
export const TOTAL_ORCHESTRATOR = 'total_orchestrator';
export const TOTAL_CLIENT = 'total_client';

/**
 * One line of the latency log. Times `startS`/`endS` are seconds from the run origin
 * (`runOrigin`), in the orchestrator's clock; absent where they do not apply.
 */
export interface LatencyRow {
  /** Position of the image in `RunReport.images`. */
  imageIndex: number;
  image: string;
  /** A wire stage name, `total_orchestrator` or `total_client`. */
  stage: string;
  startS?: number;
  endS?: number;
  /** Stage rows: ended − started. Total rows: the whole request as that side saw it. */
  observedMs: number;
  computeMs?: number;
  /** Stage rows: observed − compute. Total rows: observed − compute − queue. */
  transportMs?: number;
  /** Stage rows: started − enqueued. Total rows: the sum over stages. */
  queueMs?: number;
  /** `ok`, or the failed image's error code. */
  status: string;
}

/**
 * The run's time origin in the orchestrator's clock: the earliest moment the orchestrator
 * received a request or enqueued or started a stage. Falls back to the client's `startedAtMs`
 * when no image succeeded.
 */
export function runOrigin(report: RunReport): number {
  let origin = Infinity;
  for (const outcome of report.images) {
    if (isImageFailure(outcome)) continue;
    origin = Math.min(origin, outcome.result.receivedAtMs);
    for (const span of outcome.result.timeline) origin = Math.min(origin, span.enqueuedAtMs, span.startedAtMs);
  }
  return Number.isFinite(origin) ? origin : report.startedAtMs;
}

/** Every stage span of every successful image. */
export function* allSpans(report: RunReport): Generator<StageSpan> {
  for (const outcome of report.images) if (!isImageFailure(outcome)) yield* outcome.result.timeline;
}

/**
 * One row per image per stage (pipeline order), then each image's orchestrator and client
 * totals; a failed image has only its client total row.
 */
export function buildLatencyRows(report: RunReport): LatencyRow[] {
  const origin = runOrigin(report);
  const stages = stagesInOrder(allSpans(report));
  return report.images.flatMap((outcome, index) => rowsForImage(outcome, index, stages, origin));
}

function rowsForImage(outcome: ImageOutcome, imageIndex: number, stages: string[], origin: number): LatencyRow[] {
  const clientMs = outcome.doneAtMs - outcome.sentAtMs;
  if (isImageFailure(outcome)) {
    return [{ imageIndex, image: outcome.fileName, stage: TOTAL_CLIENT, observedMs: clientMs, status: outcome.error.code }];
  }
  const { result } = outcome;
  const spans = [...result.timeline].sort((a, b) => stages.indexOf(a.stage) - stages.indexOf(b.stage));
  const rows: LatencyRow[] = spans.map((span) => ({
    imageIndex,
    image: outcome.fileName,
    stage: span.stage,
    startS: (span.startedAtMs - origin) / 1000,
    endS: (span.endedAtMs - origin) / 1000,
    observedMs: span.observedMs,
    computeMs: span.computeMs,
    transportMs: span.observedMs - span.computeMs,
    queueMs: span.startedAtMs - span.enqueuedAtMs,
    status: 'ok',
  }));
  const computeMs = sum(spans.map((s) => s.computeMs));
  const queueMs = sum(spans.map((s) => s.startedAtMs - s.enqueuedAtMs));
  rows.push(
    {
      imageIndex,
      image: outcome.fileName,
      stage: TOTAL_ORCHESTRATOR,
      startS: (result.receivedAtMs - origin) / 1000,
      endS: (result.receivedAtMs + result.totalMs - origin) / 1000,
      observedMs: result.totalMs,
      computeMs,
      transportMs: result.totalMs - computeMs - queueMs,
      queueMs,
      status: 'ok',
    },
    {
      imageIndex,
      image: outcome.fileName,
      stage: TOTAL_CLIENT,
      observedMs: clientMs,
      computeMs,
      transportMs: clientMs - computeMs - queueMs,
      queueMs,
      status: 'ok',
    },
  );
  return rows;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
