import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where tests find the real model files: `PIPELINE_MODEL_DIR` when set, else the `shared/models`
 * folder beside the repository root (test set-up only; the product never looks there).
 * This file is `<repo>/libs/models/src/testing/index.ts`.
 */
export const TEST_MODEL_DIR: string = process.env.PIPELINE_MODEL_DIR?.trim()
  ? resolve(process.env.PIPELINE_MODEL_DIR.trim())
  : fileURLToPath(new URL('../../../../../shared/models', import.meta.url));

/**
 * Model options for tests: {@link TEST_MODEL_DIR}, the given (empty) cache directory and no download,
 * so a missing model fails the test instead of reaching for the network or the user's cache.
 */
export function testModelOptions(cacheDir: string): { modelDir: string; cacheDir: string; allowDownload: false } {
  if (!existsSync(TEST_MODEL_DIR)) {
    throw new Error(`test model directory ${TEST_MODEL_DIR} does not exist: set PIPELINE_MODEL_DIR to the model files`);
  }
  return { modelDir: TEST_MODEL_DIR, cacheDir, allowDownload: false };
}
