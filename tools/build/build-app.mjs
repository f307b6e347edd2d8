// Bundles one app (run from its folder by its `build` script) into dist/apps/<name>/: service.mjs
// is the app; main.mjs, what is started, starts tracing when asked for and then imports service.mjs
// (libs/telemetry/src/app-entry.ts). Our libs are bundled in; every npm dependency stays external
// and is loaded from node_modules, which keeps native packages (sharp, onnxruntime-node) working.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const appDir = process.cwd();
const root = resolve(appDir, '../..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const name = basename(appDir);
const outDir = join(root, 'dist/apps', name);
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  external: [...Object.keys(rootPackage.dependencies ?? {})],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: [join(appDir, 'src/main.ts')], outfile: join(outDir, 'service.mjs') });
await build({
  ...common,
  entryPoints: [join(root, 'libs/telemetry/src/app-entry.ts')],
  outfile: join(outDir, 'main.mjs'),
  external: [...common.external, './service.mjs'],
});
console.log(`built dist/apps/${name}/main.mjs and service.mjs`);
