import type { ReduceNoiseRequest, ReduceNoiseResponse } from '@imagepipeline/contracts';
import { medianFilter, readPixels, type ImageLimits } from '@imagepipeline/imaging';
import { stageStep } from './stage-step';
import { outputImage, requireImage, requireOutputFormat } from './require-image';
import { stopIfCancelled } from './stop-if-cancelled';
import { timed } from './timing';

export interface NoiseReductionOptions {
  /** Odd median kernel size; the original used 5. */
  kernelSize: number;
  limits: ImageLimits;
  /** Aborts when the caller goes away: the work stops before its next step. */
  signal?: AbortSignal;
}

/** Median-filters an image (encoded or raw pixels); answers a PNG or, when asked, raw pixels. */
export async function reduceNoise(
  request: Pick<ReduceNoiseRequest, 'image' | 'outputFormat'>,
  options: NoiseReductionOptions,
): Promise<ReduceNoiseResponse> {
  const image = requireImage(request.image);
  const format = requireOutputFormat(request.outputFormat);
  const { value, computeMs } = await timed(async () => {
    stopIfCancelled(options.signal, 'decoding');
    const pixels = await stageStep('noise_reduction', 'decode', () => readPixels(image, options.limits));
    stopIfCancelled(options.signal, 'the median filter');
    const filtered = await stageStep('noise_reduction', 'compute', () => medianFilter(pixels, options.kernelSize));
    stopIfCancelled(options.signal, 'encoding');
    return stageStep('noise_reduction', 'encode', () => outputImage(filtered, image.fileName, format));
  });
  return { image: value, computeMs };
}
