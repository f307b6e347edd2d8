export { uploadImage, type UploadOptions } from './upload-image';
export { reduceNoise, type NoiseReductionOptions } from './reduce-noise';
export { removeBackground, type BackgroundRemovalOptions } from './remove-background';
export { classifyImage, type ClassificationOptions } from './classify-image';
export {
  createBackgroundRemoverRuntime,
  createClassifierRuntime,
  createNoiseReducerRuntime,
  createStageRuntime,
  createUploaderRuntime,
  type AnyStageRuntime,
  type BackgroundRemoverRuntime,
  type ClassifierRuntime,
  type NoiseReducerRuntime,
  type StageRuntime,
  type UploaderRuntime,
} from './stage-runtime';
export type { StageTimingObserver } from './stage-timings';
