import type { ModelCatalogEntry } from './catalog';
import type { ModelResolveOptions } from './model-options';
import { resolveModel, type ModelSource } from './resolve-model';
import { openModelSession, type ModelSession, type ModelSessionOptions } from './sessions';

/** Where to find a model and how to run it. */
export type ModelLoadOptions = ModelResolveOptions & ModelSessionOptions;

/** A resolved, verified and warmed-up model. */
export interface LoadedModel extends ModelSession {
  /** Where the file came from. */
  readonly source: ModelSource;
}

/** Resolves a model file ({@link resolveModel}) and opens its shared session ({@link openModelSession}). */
export async function loadModel(entry: ModelCatalogEntry, options: ModelLoadOptions = {}): Promise<LoadedModel> {
  const { path, source } = await resolveModel(entry, options);
  const session = await openModelSession(entry, path, options);
  return Object.assign(session, { source });
}
