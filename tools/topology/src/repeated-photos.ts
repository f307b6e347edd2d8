import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { collectImageFiles } from '@imagepipeline/client';

/** The repository's photos: `samples/` and the imaging tests' photos. */
export const REPOSITORY_PHOTO_DIRS = ['samples', 'libs/imaging/src/testing/photos'];

/**
 * Fills `dir` with `count` images, the photos of `sources` repeated in turn under numbered names
 * (`01-astronaut.png`, …), so a run can send more images than the repository has. Returns `dir`.
 */
export async function writeRepeatedPhotos(dir: string, count: number, sources: readonly string[]): Promise<string> {
  const photos = await collectImageFiles(sources);
  await mkdir(dir, { recursive: true });
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const photo = photos[i % photos.length];
    await copyFile(photo, join(dir, `${String(i + 1).padStart(width, '0')}-${basename(photo)}`));
  }
  return dir;
}
