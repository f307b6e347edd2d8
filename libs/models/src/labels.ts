import labels from './imagenet-labels.json' with { type: 'json' };

/**
 * The 1000 ImageNet-1k class names in model output order (index = class), full synonym text,
 * e.g. `'indigo bunting, indigo finch, indigo bird, Passerina cyanea'`.
 * Source: `@tensorflow-models/mobilenet` (Apache-2.0), copied by `scripts/generate-labels.mjs`.
 */
export const IMAGENET_LABELS: readonly string[] = Object.freeze([...labels]);

const SHORT_LABELS: readonly string[] = Object.freeze(IMAGENET_LABELS.map((label) => label.split(',')[0].trim()));

/**
 * The label shown for a class: the first comma-separated name (`14` → `'indigo bunting'`).
 * Some short names repeat (two `crane`s, two `maillot`s); the class index tells them apart.
 * Returns `undefined` outside 0..999.
 */
export function imagenetLabel(classIndex: number): string | undefined {
  return Number.isInteger(classIndex) ? SHORT_LABELS[classIndex] : undefined;
}
