import { readFile } from 'node:fs/promises';
import { decodeImage, DEFAULT_IMAGE_LIMITS, type RawImage } from '@imagepipeline/imaging';
import { testPhotoPath } from '@imagepipeline/imaging/testing';

/** A photo of `samples/` or imaging's test photos, by file name, decoded as the stages do (8-bit sRGB). */
export async function decodeTestPhoto(name: string): Promise<RawImage> {
  return decodeImage(await readFile(testPhotoPath(name)), DEFAULT_IMAGE_LIMITS);
}
