import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Image, UploadResponse } from '@imagepipeline/contracts';
import { decodeImage, encodePng, type ImageLimits } from '@imagepipeline/imaging';
import { pngImage, requireImage } from './require-image';
import { timed } from './timing';

export interface UploadOptions {
  /** Where originals are kept, under their sha256. */
  uploadDir: string;
  limits: ImageLimits;
}

/**
 * Validates an upload, keeps the original bytes under a content-addressed name and returns the
 * image normalised to an 8-bit sRGB PNG with EXIF orientation applied.
 */
export async function uploadImage(image: Image | undefined, options: UploadOptions): Promise<UploadResponse> {
  const { data, fileName } = requireImage(image);
  const { value, computeMs } = await timed(async () => {
    const decoded = await decodeImage(data, options.limits);
    const uploadId = createHash('sha256').update(data).digest('hex');
    await keepOriginal(options.uploadDir, `${uploadId}.${decoded.format}`, data);
    const png = await encodePng(decoded);
    return { uploadId, image: pngImage(png, decoded.width, decoded.height, fileName) };
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
