import { PipelineError, PipelineErrorCode, type Image, type StageName } from '@imagepipeline/contracts';
import { QueueFullError } from '@imagepipeline/serving';

/**
 * Turns anything a stage call threw into the PipelineError that fails the image: the message names
 * the stage and the reason (`background_removal failed: stage unavailable (connection refused)`)
 * and the original code is kept. A QueueFullError already names its stage and is passed on as it
 * is, so its retry-after numbers survive.
 */
export function stageFailure(stage: StageName, error: unknown): PipelineError {
  if (error instanceof QueueFullError) return error;
  const original = PipelineError.from(error);
  const reason = original.code.toLowerCase().replace(/_/g, ' ');
  return new PipelineError(original.code, `${stage} failed: ${reason} (${original.message})`, { cause: original });
}

/** The image of a stage's answer; a stage that answered without one is an INTERNAL failure. */
export function requireImage(stage: StageName, image: Image | undefined): Image {
  if (!image || image.data.length === 0) {
    throw new PipelineError(PipelineErrorCode.INTERNAL, `${stage} answered without an image`);
  }
  return image;
}
