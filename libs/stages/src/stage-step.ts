import type { StageName } from '@imagepipeline/contracts';
import { inSpan, SPAN_NAMES, type StageStep } from '@imagepipeline/telemetry';

/**
 * Runs one step of a stage's work (decode, compute or encode) in a span of its own, named after
 * the stage and the step, so a trace shows where a stage's time went.
 */
export function stageStep<T>(stage: StageName, step: StageStep, work: () => T | Promise<T>): Promise<T> {
  return inSpan(SPAN_NAMES.stageStep(stage, step), { 'pipeline.stage': stage, 'pipeline.step': step }, async () => work());
}
