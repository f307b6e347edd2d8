import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PipelineError, PipelineErrorCode, RAW_PIXELS_FORMAT, type UploadRequest, type UploadResponse } from '@imagepipeline/contracts';
import { decodeImage, type ImageLimits } from '@imagepipeline/imaging';
import { outputImage, requireImage, requireOutputFormat } from './require-image';
import { timed } from './timing';

export interface UploadOptions {
  /** Where originals are kept, under their sha256. */
  uploadDir: string;
  limits: ImageLimits;
}

/**
 * Validates an upload (an encoded file: the pipeline's edge takes no raw pixels), keeps the
 * original bytes under a content-addressed name and answers the image normalised to 8-bit sRGB
 * with EXIF orientation applied: a PNG, or raw pixels when asked.
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
    const decoded = await decodeImage(data, options.limits);
    const uploadId = createHash('sha256').update(data).digest('hex');
    await keepOriginal(options.uploadDir, `${uploadId}.${decoded.format}`, data);
    return { uploadId, image: await outputImage(decoded, fileName, format) };
  });
  return { ...value, computeMs };
}

/** Writes once per content hash; a temp name and a rename keep readers from seeing half a file. */
async function keepOriginal(dir: string, name: string, data: Uint8Array): Promise<void> {
  const target = join(dir, name);
  if (await exists(target)) return;
  await mkdir(dir, { recursive: true });
  // Unique per call: the same image uploaded twice at once must not share a temp file (the second
  // rename would find it gone). Both renames then put identical bytes under the same name.
  const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, data);
  await rename(temp, target);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
