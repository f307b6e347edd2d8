#!/usr/bin/env node
/**
 * Writes src/imagenet-labels.json: the 1000 ImageNet-1k class names in model output order
 * (index = class), copied from `@tensorflow-models/mobilenet/dist/imagenet_classes.js` (Apache-2.0).
 * The full synonym text is kept; the library shows the first comma-separated name.
 *
 * Run with `npx nx run models:labels` (or `npm run labels -w @imagepipeline/models`).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { IMAGENET_CLASSES } = require('@tensorflow-models/mobilenet/dist/imagenet_classes.js');

const labels = [];
for (let index = 0; index < 1000; index += 1) {
  const label = IMAGENET_CLASSES[index];
  if (typeof label !== 'string' || label.trim() === '') {
    throw new Error(`imagenet_classes.js has no label for class ${index}`);
  }
  labels.push(label.trim());
}
if (Object.keys(IMAGENET_CLASSES).length !== 1000) {
  throw new Error(`expected 1000 classes, found ${Object.keys(IMAGENET_CLASSES).length}`);
}

const target = fileURLToPath(new URL('../src/imagenet-labels.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(labels, null, 1)}\n`);
console.log(`wrote ${labels.length} labels to ${target}`);
