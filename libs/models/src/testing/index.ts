import { MODEL_ENV, modelOptionsFromEnv, type ModelResolveOptions } from '../model-options';

/**
 * Where tests get the real models. With `PIPELINE_MODEL_DIR` set: from that directory, downloads
 * off. Without it: the product's own resolution (an installed package, the model cache of
 * `PIPELINE_MODEL_CACHE_DIR` or the default, a verified download), as a user with internet access
 * expects. A model that cannot be had fails the test with the resolution message.
 */
export function testModelOptions(env: NodeJS.ProcessEnv = process.env): ModelResolveOptions & { cacheDir: string; allowDownload: boolean } {
  const options = modelOptionsFromEnv(env);
  return options.modelDir === undefined ? options : { ...options, allowDownload: false };
}

/** {@link testModelOptions} as environment variables, for the services a test starts. */
export function testModelEnv(): Record<string, string> {
  const { modelDir, cacheDir, allowDownload } = testModelOptions();
  return {
    ...(modelDir === undefined ? {} : { [MODEL_ENV.modelDir]: modelDir }),
    [MODEL_ENV.cacheDir]: cacheDir,
    [MODEL_ENV.allowDownload]: String(allowDownload),
  };
}
