// Bundles one app (run from its folder by its `build` script) into dist/apps/<name>/main.mjs.
// Our libs are bundled in; every npm dependency stays external and is loaded from node_modules,
// which keeps native packages (sharp, onnxruntime-node) working.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const appDir = process.cwd();
const root = resolve(appDir, '../..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const name = basename(appDir);

await build({
  entryPoints: [join(appDir, 'src/main.ts')],
  outfile: join(root, 'dist/apps', name, 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  external: [...Object.keys(rootPackage.dependencies ?? {})],
  logLevel: 'warning',
});
console.log(`built dist/apps/${name}/main.mjs`);
