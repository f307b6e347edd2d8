import type { Image, RemoveBackgroundResponse } from '@imagepipeline/contracts';
import { encodeCutOutPng, readPixels, type ImageLimits } from '@imagepipeline/imaging';
import type { ForegroundSegmenter } from '@imagepipeline/models';
import { stageStep } from './stage-step';
import { requireImage } from './require-image';
import { stopIfCancelled } from './stop-if-cancelled';
import { timed } from './timing';

export interface BackgroundRemovalOptions {
  segmenter: ForegroundSegmenter;
  limits: ImageLimits;
  /** Aborts when the caller goes away: the work stops before its next step. */
  signal?: AbortSignal;
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
    stopIfCancelled(options.signal, 'decoding');
    const pixels = await stageStep('background_removal', 'decode', () => readPixels(input, options.limits));
    stopIfCancelled(options.signal, 'segmentation');
    const mask = await stageStep('background_removal', 'compute', () => options.segmenter.segment(pixels));
    stopIfCancelled(options.signal, 'encoding');
    const data = await stageStep('background_removal', 'encode', () => encodeCutOutPng(pixels, mask));
    const { width, height } = pixels;
    return { data, format: 'png', width, height, fileName: input.fileName, channels: 0 };
  });
  return { image: value, computeMs };
}
