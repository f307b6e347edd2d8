import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Image } from '@imagepipeline/contracts';

/** `samples/` at the repository root (this file is `libs/imaging/src/testing/test-photos.ts`). */
const SAMPLES_DIR = fileURLToPath(new URL('../../../../samples', import.meta.url));

/** More photos for the tests, beside this file; `photos/README.md` gives their sources and licences. */
const TEST_PHOTOS_DIR = fileURLToPath(new URL('./photos', import.meta.url));

const PHOTO_DIRS = [SAMPLES_DIR, TEST_PHOTOS_DIR];

/** The extensions the pipeline client picks up from a folder. */
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

/** A photo read from disk: its file name (e.g. `chelsea.png`) and bytes. */
export interface PhotoFile {
  name: string;
  bytes: Buffer;
}

/** The path of a photo in `samples/` or the test photos, by file name. */
export function testPhotoPath(name: string): string {
  const found = PHOTO_DIRS.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  if (!found) throw new Error(`no photo ${name} in ${PHOTO_DIRS.join(' or ')}`);
  return found;
}

/** A photo of `samples/` or the test photos as a request's image; the stages detect its format. */
export async function testPhotoImage(fileName: string): Promise<Image> {
  return { data: await readFile(testPhotoPath(fileName)), format: '', width: 0, height: 0, channels: 0, fileName };
}

/** The image files of one folder (not recursive), sorted by file name. */
export async function readPhotosIn(dir: string): Promise<PhotoFile[]> {
  const names = (await readdir(dir)).filter((name) => IMAGE_FILE.test(name)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })));
}

/** Every photo of `samples/` and the test photos, sorted by file name. */
export async function readTestPhotos(): Promise<PhotoFile[]> {
  const photos = (await Promise.all(PHOTO_DIRS.map(readPhotosIn))).flat();
  return photos.sort((a, b) => a.name.localeCompare(b.name));
}
