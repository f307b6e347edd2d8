import { PipelineError, type Image } from '@imagepipeline/contracts';
import { describeMachine, type ImageOutcome, type RunReport } from '@imagepipeline/reporting';
import { inSpan, SPAN_NAMES } from '@imagepipeline/telemetry';
import type { OrchestratorClient, ProcessOptions } from './orchestrator-client';

/** Options of {@link sendImage}: the orchestrator's, and a call once the bytes are read and the image goes out. */
export interface SendImageOptions extends ProcessOptions {
  onSent?: () => void;
}

/**
 * One image through the orchestrator, as a run report records it: its result, or the failure's
 * code and message (reading the bytes included). Never throws. `sentAtMs` and `doneAtMs` are this
 * process's epoch milliseconds, from before the bytes are read to after the answer is complete.
 */
export async function sendImage(
  client: OrchestratorClient,
  fileName: string,
  load: () => Buffer | Promise<Buffer>,
  { onSent, ...options }: SendImageOptions,
): Promise<ImageOutcome> {
  const sentAtMs = Date.now();
  // The root of the image's trace: the orchestrator and every stage continue it.
  return inSpan(SPAN_NAMES.clientImage, { 'pipeline.image.file': fileName }, async ({ fail, setEndMs }) => {
    let outcome: ImageOutcome;
    try {
      const image: Image = { data: await load(), format: '', width: 0, height: 0, channels: 0, fileName };
      onSent?.();
      const result = await client.process(image, options);
      outcome = { fileName, result, sentAtMs, doneAtMs: Date.now() };
    } catch (error) {
      const failure = PipelineError.from(error);
      fail(failure);
      outcome = { fileName, error: { code: failure.code, message: failure.message }, sentAtMs, doneAtMs: Date.now() };
    }
    setEndMs(outcome.doneAtMs);
    return outcome;
  }, { startMs: sentAtMs });
}

/** What a run's report is made of; the end time (now), this Node.js's version and the machine are added. */
export type RunReportParts = Omit<RunReport, 'finishedAtMs' | 'machine'>;

/** The report of a run that has just finished, as the pipeline client writes it (`latency.csv`, `summary.json`, ...). */
export function finishRunReport({ protocol, topology, orchestrator, startedAtMs, images, versions = {} }: RunReportParts): RunReport {
  return {
    protocol,
    topology,
    orchestrator,
    startedAtMs,
    finishedAtMs: Date.now(),
    images,
    versions: { node: process.version, ...versions },
    machine: describeMachine(),
  };
}
