#!/usr/bin/env node
// The `pipeline` command: runs the bundle built by `npx nx run pipeline-cli:build`.
import { existsSync } from 'node:fs';

const bundle = new URL('../../../dist/apps/pipeline-cli/main.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('pipeline: not built yet; run `npx nx run pipeline-cli:build` first\n');
  process.exit(2);
}
await import(bundle.href);
