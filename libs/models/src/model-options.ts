import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';

/** Where to look for a model file and whether it may be downloaded. */
export interface ModelResolveOptions {
  /** A directory holding the model files (apps take it from `PIPELINE_MODEL_DIR`). Looked at first. */
  modelDir?: string;
  /** Where downloads are kept. Default: {@link defaultModelCacheDir} without an environment. */
  cacheDir?: string;
  /** Download a missing file into the cache (sha256-checked). Default `true`. */
  allowDownload?: boolean;
  /** The `fetch` used for downloads; tests inject one. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** The environment variables apps and scripts read model options from. */
export const MODEL_ENV = Object.freeze({
  modelDir: 'PIPELINE_MODEL_DIR',
  cacheDir: 'PIPELINE_MODEL_CACHE_DIR',
  allowDownload: 'PIPELINE_MODEL_DOWNLOAD',
} as const);

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The user's model cache: `$XDG_CACHE_HOME/image-pipeline/models`, else `~/.cache/image-pipeline/models`.
 * Pass the process environment to honour `XDG_CACHE_HOME`; libraries never read it themselves.
 */
export function defaultModelCacheDir(env: Env = {}): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'image-pipeline', 'models');
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/**
 * Reads {@link MODEL_ENV} from an environment object (an entry point passes `process.env`).
 * Throws `INVALID_ARGUMENT` naming the variable when `PIPELINE_MODEL_DOWNLOAD` is not a boolean word.
 */
export function modelOptionsFromEnv(env: Env): ModelResolveOptions & { cacheDir: string; allowDownload: boolean } {
  const modelDir = nonEmpty(env[MODEL_ENV.modelDir]);
  const cacheDir = nonEmpty(env[MODEL_ENV.cacheDir]);
  const download = nonEmpty(env[MODEL_ENV.allowDownload])?.toLowerCase();
  if (download !== undefined && !TRUE_WORDS.has(download) && !FALSE_WORDS.has(download)) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `${MODEL_ENV.allowDownload} must be one of 1/true/yes/on or 0/false/no/off, got '${env[MODEL_ENV.allowDownload]}'`,
    );
  }
  return {
    ...(modelDir === undefined ? {} : { modelDir: resolve(modelDir) }),
    cacheDir: cacheDir === undefined ? defaultModelCacheDir(env) : resolve(cacheDir),
    allowDownload: download === undefined || TRUE_WORDS.has(download),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
