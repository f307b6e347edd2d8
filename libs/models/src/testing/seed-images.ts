import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RawImage } from '@imagepipeline/imaging';

/** The seed project's photos, beside the repository root (test set-up only). */
export const SEED_IMAGES_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/seed-images/', import.meta.url));

/**
 * Decodes `test_image_<name>.jpg` to 8-bit sRGB RGB. Formats come from the bytes: dog and chicken are
 * PNG data with a .jpg name.
 */
export async function readSeedImage(name: string): Promise<RawImage> {
  const { data, info } = await sharp(`${SEED_IMAGES_DIR}test_image_${name}.jpg`)
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}
