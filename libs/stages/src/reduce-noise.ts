import type { ReduceNoiseRequest, ReduceNoiseResponse } from '@imagepipeline/contracts';
import { medianFilter, readPixels, type ImageLimits } from '@imagepipeline/imaging';
import { outputImage, requireImage, requireOutputFormat } from './require-image';
import { timed } from './timing';

export interface NoiseReductionOptions {
  /** Odd median kernel size; the original used 5. */
  kernelSize: number;
  limits: ImageLimits;
}

/** Median-filters an image (encoded or raw pixels); answers a PNG or, when asked, raw pixels. */
export async function reduceNoise(
  request: Pick<ReduceNoiseRequest, 'image' | 'outputFormat'>,
  options: NoiseReductionOptions,
): Promise<ReduceNoiseResponse> {
  const image = requireImage(request.image);
  const format = requireOutputFormat(request.outputFormat);
  const { value, computeMs } = await timed(async () => {
    const filtered = medianFilter(await readPixels(image, options.limits), options.kernelSize);
    return outputImage(filtered, image.fileName, format);
  });
  return { image: value, computeMs };
}
