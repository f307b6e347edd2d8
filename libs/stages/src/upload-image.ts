import { createHash } from 'node:crypto';
import { PipelineError, PipelineErrorCode, RAW_PIXELS_FORMAT, type UploadRequest, type UploadResponse } from '@imagepipeline/contracts';
import { decodeImage, type ImageLimits } from '@imagepipeline/imaging';
import { stageStep } from './stage-step';
import { outputImage, requireImage, requireOutputFormat } from './require-image';
import { stopIfCancelled } from './stop-if-cancelled';
import { timed } from './timing';

export interface UploadOptions {
  limits: ImageLimits;
  /** Aborts when the caller goes away: the work stops before its next step. */
  signal?: AbortSignal;
}

/**
 * Validates an upload (an encoded file: the pipeline's edge takes no raw pixels) and answers the
 * image normalised to 8-bit sRGB with EXIF orientation applied: a PNG, or raw pixels when asked.
 * The upload id is the sha256 of the bytes sent. Nothing is written to disk: no stage or client
 * ever read a stored original back, and keeping them filled a service's disk without bound.
 */
export async function uploadImage(
  request: Pick<UploadRequest, 'image' | 'outputFormat'>,
  options: UploadOptions,
): Promise<UploadResponse> {
  const { data, fileName, format: declared } = requireImage(request.image);
  if (declared === RAW_PIXELS_FORMAT) {
    throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, 'the uploader takes an image file, not raw pixels');
  }
  const format = requireOutputFormat(request.outputFormat);
  const { value, computeMs } = await timed(async () => {
    stopIfCancelled(options.signal, 'decoding');
    const decoded = await stageStep('upload', 'decode', () => decodeImage(data, options.limits));
    const uploadId = await stageStep('upload', 'compute', () => createHash('sha256').update(data).digest('hex'));
    stopIfCancelled(options.signal, 'encoding');
    return { uploadId, image: await stageStep('upload', 'encode', () => outputImage(decoded, fileName, format)) };
  });
  return { ...value, computeMs };
}
