import { PipelineError, PipelineErrorCode, type ClassifyResponse, type Image } from '@imagepipeline/contracts';
import { readPixels, type ImageLimits } from '@imagepipeline/imaging';
import type { ImageClassifier } from '@imagepipeline/models';
import { stageStep } from './stage-step';
import { requireImage } from './require-image';
import { stopIfCancelled } from './stop-if-cancelled';
import { timed } from './timing';

export interface ClassificationOptions {
  classifier: ImageClassifier;
  /** How many predictions to return; the label is the first. */
  topK: number;
  limits: ImageLimits;
  /** Aborts when the caller goes away: the work stops before its next step. */
  signal?: AbortSignal;
}

/** Classifies an image (encoded or raw pixels) into the 1000 ImageNet classes; `label` is the top-1 prediction. */
export async function classifyImage(image: Image | undefined, options: ClassificationOptions): Promise<ClassifyResponse> {
  const input = requireImage(image);
  if (!Number.isInteger(options.topK) || options.topK < 1 || options.topK > 1000) {
    throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `topK must be an integer from 1 to 1000, got ${options.topK}`);
  }
  const { value, computeMs } = await timed(async () => {
    stopIfCancelled(options.signal, 'decoding');
    const pixels = await stageStep('classification', 'decode', () => readPixels(input, options.limits));
    stopIfCancelled(options.signal, 'classification');
    const probabilities = await stageStep('classification', 'compute', () => options.classifier.probabilities(pixels));
    // A classifier's answer is labels, not an image: its encode step ranks and names the classes.
    return stageStep('classification', 'encode', () => options.classifier.rank(probabilities, options.topK));
  });
  return { label: value.label, topK: value.topK, computeMs };
}
