/**
 * Prints where each model resolves from and downloads what is missing.
 * Run with `npm run models` at the root (or `npx nx run models:resolve`).
 *
 * Environment: PIPELINE_MODEL_DIR (a directory with the model files), PIPELINE_MODEL_CACHE_DIR
 * (default: $XDG_CACHE_HOME/image-pipeline/models or ~/.cache/image-pipeline/models),
 * PIPELINE_MODEL_DOWNLOAD (1/0, default 1). Exits 1 when a model cannot be had.
 */
import { MODEL_CATALOG, modelOptionsFromEnv, resolveModel } from '../src/index';

async function main(): Promise<number> {
  let options;
  try {
    options = modelOptionsFromEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  console.log(
    `model directory: ${options.modelDir ?? '(none)'}; cache: ${options.cacheDir}; ` +
      `download: ${options.allowDownload ? 'on' : 'off'}`,
  );

  let failures = 0;
  for (const entry of Object.values(MODEL_CATALOG)) {
    try {
      const { path, source } = await resolveModel(entry, options);
      console.log(`${entry.id.padEnd(18)} ${source.padEnd(9)} ${path}`);
    } catch (error) {
      failures += 1;
      console.error(`${entry.id.padEnd(18)} MISSING   ${(error as Error).message}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
