import { join } from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '@imagepipeline/imaging';
import { SEED_IMAGES_DIR } from '@imagepipeline/imaging/testing';

/**
 * Decodes `test_image_<name>.jpg` to 8-bit sRGB RGB. Formats come from the bytes: dog and chicken are
 * PNG data with a .jpg name.
 */
export async function readSeedImage(name: string): Promise<RawImage> {
  const { data, info } = await sharp(join(SEED_IMAGES_DIR, `test_image_${name}.jpg`))
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}
