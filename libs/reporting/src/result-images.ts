import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Image } from '@imagepipeline/contracts';
import type { ImageSuccess } from './run-report';

/** Folder names inside a results folder. */
export const PROCESSED_DIR = 'processed';
export const INTERMEDIATES_DIR = 'pipeline_timeline';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Writes one image's pictures under `root`: `processed/<stem>.png`, and when the run asked for
 * intermediates, `pipeline_timeline/<stem>/01-uploaded.png`, `02-denoised.png` and
 * `03-background-removed.png` (the final image again, so the folder tells the whole story).
 * Returns the written paths relative to `root`, with `/` separators.
 */
export async function writeResultImages(outcome: ImageSuccess, stem: string, root: string): Promise<string[]> {
  const { processedImage, uploadedImage, denoisedImage } = outcome.result;
  const files: Array<[string, Image, boolean]> = [];
  if (processedImage) files.push([`${PROCESSED_DIR}/${stem}.png`, processedImage, true]);
  if (uploadedImage || denoisedImage) {
    const folder = `${INTERMEDIATES_DIR}/${stem}`;
    if (uploadedImage) files.push([`${folder}/01-uploaded.png`, uploadedImage, false]);
    if (denoisedImage) files.push([`${folder}/02-denoised.png`, denoisedImage, false]);
    if (processedImage) files.push([`${folder}/03-background-removed.png`, processedImage, true]);
  }
  for (const [relative, image, withAlpha] of files) {
    const target = path.join(root, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await asPng(image, withAlpha));
  }
  return files.map(([relative]) => relative);
}

/** PNG bytes of an image: PNG input as it is, anything else decoded and encoded as PNG. */
async function asPng(image: Image, withAlpha: boolean): Promise<Uint8Array> {
  const data = image.data;
  if (PNG_SIGNATURE.every((byte, i) => data[i] === byte)) return data;
  const decoded = sharp(data, { failOn: 'error' });
  return (withAlpha ? decoded.ensureAlpha() : decoded).png().toBuffer();
}
