import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file lives in libs/imaging/src/testing/. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The eight photos of the original project, beside the repository (`../shared/fixtures/seed-images`). */
export const SEED_IMAGES_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/seed-images');

/** One seed photo: its file name (e.g. `test_image_cat.jpg`; two are really PNGs) and bytes. */
export interface SeedImage {
  name: string;
  bytes: Buffer;
}

/** Reads the seed photos, sorted by file name. */
export async function readSeedImages(): Promise<SeedImage[]> {
  const names = (await readdir(SEED_IMAGES_DIR)).filter((name) => /\.(jpe?g|png)$/i.test(name)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(SEED_IMAGES_DIR, name)) })));
}
