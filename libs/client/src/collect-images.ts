import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Extensions picked up when a folder is given; the services still detect formats from the bytes. */
const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|tiff?|avif)$/i;

/**
 * Expands folders into the image files they hold (sorted, not recursive) and keeps explicit files
 * as they are, so a user can send a file with any name on purpose.
 */
export async function collectImageFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => {
      throw new Error(`input not found: ${input}`);
    });
    if (info.isDirectory()) {
      const names = (await readdir(input)).filter((name) => IMAGE_EXTENSIONS.test(name) && !name.startsWith('.'));
      files.push(...names.sort().map((name) => join(input, name)));
    } else {
      files.push(input);
    }
  }
  const seen = new Set<string>();
  for (const file of files) {
    const name = basename(file);
    if (seen.has(name)) throw new Error(`two inputs share the file name ${name}: results would collide`);
    seen.add(name);
  }
  if (files.length === 0) throw new Error(`no image files in ${inputs.join(', ')}`);
  return files;
}
