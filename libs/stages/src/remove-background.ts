import type { Image, RemoveBackgroundResponse } from '@imagepipeline/contracts';
import { applyAlphaMask, decodeImage, encodePng, type ImageLimits } from '@imagepipeline/imaging';
import type { ForegroundSegmenter } from '@imagepipeline/models';
import { pngImage, requireImage } from './require-image';
import { timed } from './timing';

export interface BackgroundRemovalOptions {
  segmenter: ForegroundSegmenter;
  limits: ImageLimits;
}

/** Segments the foreground and returns an RGBA PNG at the input's size, background transparent. */
export async function removeBackground(
  image: Image | undefined,
  options: BackgroundRemovalOptions,
): Promise<RemoveBackgroundResponse> {
  const { data, fileName } = requireImage(image);
  const { value, computeMs } = await timed(async () => {
    const decoded = await decodeImage(data, options.limits);
    const mask = await options.segmenter.segment(decoded);
    const cutOut = applyAlphaMask(decoded, mask);
    return pngImage(await encodePng(cutOut), cutOut.width, cutOut.height, fileName);
  });
  return { image: value, computeMs };
}
