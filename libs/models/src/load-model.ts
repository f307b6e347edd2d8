import type { InferenceSession } from 'onnxruntime-node';
import type { ModelCatalogEntry, ModelId } from './catalog';
import type { ModelResolveOptions } from './model-options';
import { resolveModel, type ModelSource } from './resolve-model';
import { openModelSession, type ModelSession, type ModelSessionOptions } from './sessions';

/** Told how long each inference took, failed ones too (a service's metrics record it). */
export type InferenceObserver = (model: ModelId, ms: number) => void;

/** Where to find a model, how to run it, and who is told each inference's time. */
export type ModelLoadOptions = ModelResolveOptions & ModelSessionOptions & { onInference?: InferenceObserver };

/** A resolved, verified and warmed-up model. */
export interface LoadedModel extends ModelSession {
  /** Where the file came from. */
  readonly source: ModelSource;
  /** Runs one inference on the shared session and reports its time to `onInference`. */
  infer(feeds: InferenceSession.FeedsType, fetches: readonly string[]): Promise<InferenceSession.ReturnType>;
}

/** Resolves a model file ({@link resolveModel}) and opens its shared session ({@link openModelSession}). */
export async function loadModel(entry: ModelCatalogEntry, options: ModelLoadOptions = {}): Promise<LoadedModel> {
  const { path, source } = await resolveModel(entry, options);
  const session = await openModelSession(entry, path, options);
  const { onInference } = options;
  const infer = async (feeds: InferenceSession.FeedsType, fetches: readonly string[]) => {
    const started = performance.now();
    try {
      return await session.session.run(feeds, fetches);
    } finally {
      onInference?.(entry.id, performance.now() - started);
    }
  };
  return Object.assign(session, { source, infer });
}
