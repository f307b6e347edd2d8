import { inspectImage } from '@imagepipeline/imaging';
import type { ValidProcessRequest } from './process-request';
import { UNCHECKED_LIMITS } from './unchecked-limits';

/**
 * What the orchestrator holds for one image, per pixel, at most: the uploaded and the denoised raw
 * pixels (RGBA at worst: 4 + 4), the processed PNG (4), and one copy of a message on its way in or
 * out (4). The camera-resolution benchmark measures it (README, "Camera resolution and memory").
 */
const BYTES_PER_PIXEL = 16;

/** The uploaded and denoised PNGs, when the caller asks for the intermediates. */
const INTERMEDIATE_BYTES_PER_PIXEL = 8;

/**
 * The bytes of memory an image will hold in the orchestrator, estimated from its header before any
 * work: pixels up to `maxPixels` (a larger image is refused by the uploader at once). An image whose
 * header does not read costs its encoded bytes: the uploader refuses it.
 */
export async function estimateImageMemory(request: ValidProcessRequest, maxPixels: number): Promise<number> {
  const perPixel = BYTES_PER_PIXEL + (request.includeIntermediates ? INTERMEDIATE_BYTES_PER_PIXEL : 0);
  const pixels = await inspectImage(request.image.data, UNCHECKED_LIMITS).then(
    ({ width, height }) => Math.min(width * height, maxPixels),
    () => 0,
  );
  return request.image.data.length + pixels * perPixel;
}
