// Builds the live page's static assets into dist/apps/web/public (the `assets` target):
// src/page/main.ts bundled and minified into app.js for the browser, app.css minified, index.html
// copied. Nothing is built when the server runs.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const appDir = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname);
const root = resolve(appDir, '../..');
const pageDir = join(appDir, 'src/page');
const outDir = join(root, 'dist/apps/web/public');

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

const script = await build({
  entryPoints: [join(pageDir, 'main.ts')],
  outfile: join(outDir, 'app.js'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// Only the page's own code may end up in the bundle (libs/live is imported for its types alone),
// and the timeline layout it shares with timeline.png, which is free of Node.
const shared = join(root, 'libs/reporting/src/timeline');
const allowed = [`${pageDir}/`, ...['layout.ts', 'lanes.ts', 'time-axis.ts'].map((file) => join(shared, file))];
const foreign = Object.keys(script.metafile.inputs).filter((input) => !allowed.some((path) => resolve(process.cwd(), input).startsWith(path)));
if (foreign.length) throw new Error(`the page's bundle pulls in code from outside src/page: ${foreign.join(', ')}`);

await build({
  entryPoints: [join(pageDir, 'app.css')],
  outfile: join(outDir, 'app.css'),
  bundle: true,
  minify: true,
  target: ['chrome109', 'firefox115', 'safari16'],
  logLevel: 'warning',
});
await copyFile(join(pageDir, 'index.html'), join(outDir, 'index.html'));

const bytes = script.metafile.outputs[relative(process.cwd(), join(outDir, 'app.js'))]?.bytes;
console.log(`built ${relative(root, outDir)}/ (index.html, app.css, app.js${bytes ? ` ${(bytes / 1024).toFixed(1)} kB` : ''})`);
