import { PipelineError, PipelineErrorCode, RAW_PIXELS_FORMAT, type Image } from '@imagepipeline/contracts';
import { encodePng, readPixels } from '@imagepipeline/imaging';
import { UNCHECKED_LIMITS } from './unchecked-limits';

/**
 * An intermediate image as a caller gets it: raw pixels from a stage become a PNG file; an image
 * already encoded is returned as it is. Starts at once; the promise never rejects unobserved.
 */
export function intermediateFile(image: Image): Promise<Image> {
  if (image.format !== RAW_PIXELS_FORMAT) return Promise.resolve(image);
  const file = (async (): Promise<Image> => {
    const pixels = await readPixels(image, UNCHECKED_LIMITS);
    return { ...image, data: await encodePng(pixels), format: 'png', channels: 0 };
  })().catch((error: unknown) => {
    throw PipelineError.from(error, PipelineErrorCode.INTERNAL);
  });
  file.catch(() => undefined); // awaited only if the image gets that far
  return file;
}
