import type { Image, RemoveBackgroundResponse } from '@imagepipeline/contracts';
import { encodeCutOutPng, readPixels, type ImageLimits } from '@imagepipeline/imaging';
import type { ForegroundSegmenter } from '@imagepipeline/models';
import { requireImage } from './require-image';
import { timed } from './timing';

export interface BackgroundRemovalOptions {
  segmenter: ForegroundSegmenter;
  limits: ImageLimits;
}

/**
 * Segments the foreground of an image (encoded or raw pixels) and answers an RGBA PNG at its size,
 * background transparent: the file a person gets.
 */
export async function removeBackground(
  image: Image | undefined,
  options: BackgroundRemovalOptions,
): Promise<RemoveBackgroundResponse> {
  const input = requireImage(image);
  const { value, computeMs } = await timed(async () => {
    const pixels = await readPixels(input, options.limits);
    const data = await encodeCutOutPng(pixels, await options.segmenter.segment(pixels));
    const { width, height } = pixels;
    return { data, format: 'png', width, height, fileName: input.fileName, channels: 0 };
  });
  return { image: value, computeMs };
}
