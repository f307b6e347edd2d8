import type { Image, ReduceNoiseResponse } from '@imagepipeline/contracts';
import { decodeImage, encodePng, medianFilter, type ImageLimits } from '@imagepipeline/imaging';
import { pngImage, requireImage } from './require-image';
import { timed } from './timing';

export interface NoiseReductionOptions {
  /** Odd median kernel size; the original used 5. */
  kernelSize: number;
  limits: ImageLimits;
}

/** Median-filters an image and returns it as PNG. */
export async function reduceNoise(image: Image | undefined, options: NoiseReductionOptions): Promise<ReduceNoiseResponse> {
  const { data, fileName } = requireImage(image);
  const { value, computeMs } = await timed(async () => {
    const decoded = await decodeImage(data, options.limits);
    const filtered = medianFilter(decoded, options.kernelSize);
    return pngImage(await encodePng(filtered), filtered.width, filtered.height, fileName);
  });
  return { image: value, computeMs };
}
