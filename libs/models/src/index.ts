export {
  MODEL_CATALOG,
  MOBILENETV2_INT8_MODEL,
  U2NETP_MODEL,
  type ModelCatalogEntry,
  type ModelId,
  type ModelPackageSource,
  type ModelTensorSpec,
} from './catalog';
export { defaultModelCacheDir, MODEL_ENV, modelOptionsFromEnv, type ModelResolveOptions } from './model-options';
export { resolveModel, type ModelSource, type ResolvedModel } from './resolve-model';
export { openModelSession, type ModelSession, type ModelSessionOptions } from './sessions';
export { loadModel, type InferenceObserver, type LoadedModel, type ModelLoadOptions } from './load-model';
export { ForegroundSegmenter } from './foreground-segmenter';
export { ImageClassifier, type Classification, type ClassPrediction } from './image-classifier';
export { IMAGENET_LABELS, imagenetLabel } from './labels';
