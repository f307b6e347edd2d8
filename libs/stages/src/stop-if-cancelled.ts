import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/**
 * Throws DEADLINE_EXCEEDED once `signal` has aborted (the caller went away, or its deadline passed),
 * so the next step of a stage's work (a decode, an inference, an encode) never starts for nobody.
 * A step already running finishes: sharp and onnxruntime cannot be stopped midway.
 */
export function stopIfCancelled(signal: AbortSignal | undefined, nextStep: string): void {
  if (signal?.aborted) {
    throw new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, `stopped before ${nextStep}: the caller cancelled or its deadline passed`);
  }
}
