import {
  PipelineError,
  PipelineErrorCode,
  type ClassifyRequest,
  type ClassifyResponse,
  type ReduceNoiseRequest,
  type ReduceNoiseResponse,
  type RemoveBackgroundRequest,
  type RemoveBackgroundResponse,
  type UploadRequest,
  type UploadResponse,
} from '@imagepipeline/contracts';
import type { StageServiceConfig, StageServiceName } from '@imagepipeline/config';
import { ForegroundSegmenter, ImageClassifier, type ModelLoadOptions } from '@imagepipeline/models';
import { classifyImage } from './classify-image';
import { reduceNoise } from './reduce-noise';
import { removeBackground } from './remove-background';
import { StageTimings, type StageTimingObserver } from './stage-timings';
import { uploadImage } from './upload-image';

/**
 * What every stage service offers its transport: readiness and an owner that closes it. Each stage
 * method takes the call's abort signal (the caller went away or its deadline passed): the work stops
 * before its next step.
 */
export interface StageRuntime {
  readonly service: StageServiceName;
  /** True once the stage can serve (its model, if any, is loaded and warmed up). */
  isReady(): boolean;
  /** Settles when loading finished; rejects with the load failure. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
  /**
   * Reports each call's compute time, and each model inference's, to `observer` from now on
   * (replacing an earlier one). A runtime that reports nothing (a benchmark's echo) leaves it out.
   */
  observeTimings?(observer: StageTimingObserver): void;
}

export interface UploaderRuntime extends StageRuntime {
  readonly service: 'uploader';
  upload(request: UploadRequest, signal?: AbortSignal): Promise<UploadResponse>;
}

export interface NoiseReducerRuntime extends StageRuntime {
  readonly service: 'noise-reducer';
  reduceNoise(request: ReduceNoiseRequest, signal?: AbortSignal): Promise<ReduceNoiseResponse>;
}

export interface BackgroundRemoverRuntime extends StageRuntime {
  readonly service: 'background-remover';
  removeBackground(request: RemoveBackgroundRequest, signal?: AbortSignal): Promise<RemoveBackgroundResponse>;
}

export interface ClassifierRuntime extends StageRuntime {
  readonly service: 'classifier';
  classify(request: ClassifyRequest, signal?: AbortSignal): Promise<ClassifyResponse>;
}

export type AnyStageRuntime = UploaderRuntime | NoiseReducerRuntime | BackgroundRemoverRuntime | ClassifierRuntime;

const alwaysReady = { isReady: () => true, ready: Promise.resolve(), close: async () => undefined };

export function createUploaderRuntime(config: StageServiceConfig): UploaderRuntime {
  const timings = new StageTimings('uploader');
  return {
    service: 'uploader',
    ...alwaysReady,
    observeTimings: (observer) => timings.observe(observer),
    upload: async (request, signal) => timings.reported(await uploadImage(request, { limits: config.limits, signal })),
  };
}

export function createNoiseReducerRuntime(config: StageServiceConfig): NoiseReducerRuntime {
  const timings = new StageTimings('noise-reducer');
  return {
    service: 'noise-reducer',
    ...alwaysReady,
    observeTimings: (observer) => timings.observe(observer),
    reduceNoise: async (request, signal) =>
      timings.reported(await reduceNoise(request, { kernelSize: request.kernelSize || config.medianKernelSize, limits: config.limits, signal })),
  };
}

export function createBackgroundRemoverRuntime(config: StageServiceConfig): BackgroundRemoverRuntime {
  const timings = new StageTimings('background-remover');
  const model = loadInBackground(() => ForegroundSegmenter.load(modelLoadOptions(config, timings)));
  return {
    service: 'background-remover',
    ...model.state,
    observeTimings: (observer) => timings.observe(observer),
    removeBackground: async (request, signal) =>
      timings.reported(await removeBackground(request.image, { segmenter: model.get(), limits: config.limits, signal })),
  };
}

export function createClassifierRuntime(config: StageServiceConfig): ClassifierRuntime {
  const timings = new StageTimings('classifier');
  const model = loadInBackground(() => ImageClassifier.load(modelLoadOptions(config, timings)));
  return {
    service: 'classifier',
    ...model.state,
    observeTimings: (observer) => timings.observe(observer),
    classify: async (request, signal) =>
      timings.reported(
        await classifyImage(request.image, {
          classifier: model.get(),
          topK: request.topK || config.defaultTopK,
          limits: config.limits,
          signal,
        }),
      ),
  };
}

/** Builds the runtime of any stage service by name: what an app calls. */
export function createStageRuntime(service: StageServiceName, config: StageServiceConfig): AnyStageRuntime {
  switch (service) {
    case 'uploader':
      return createUploaderRuntime(config);
    case 'noise-reducer':
      return createNoiseReducerRuntime(config);
    case 'background-remover':
      return createBackgroundRemoverRuntime(config);
    case 'classifier':
      return createClassifierRuntime(config);
  }
}

function modelLoadOptions(config: StageServiceConfig, timings: StageTimings): ModelLoadOptions {
  const { modelDir, cacheDir, allowDownload, intraOpThreads, interOpThreads } = config.models;
  const onInference = (model: string, ms: number) => timings.modelInferred(model, ms);
  return { modelDir, cacheDir, allowDownload, intraOpNumThreads: intraOpThreads, interOpNumThreads: interOpThreads, onInference };
}

/**
 * Starts loading a model at once so the server can listen (live) while it loads; calls before
 * it is ready fail with MODEL_UNAVAILABLE rather than waiting unboundedly.
 */
function loadInBackground<M extends { close(): Promise<void> }>(load: () => Promise<M>) {
  let model: M | undefined;
  let failure: unknown;
  const ready = load().then(
    (loaded) => {
      model = loaded;
    },
    (error: unknown) => {
      failure = error;
      throw error;
    },
  );
  ready.catch(() => undefined); // observed through isReady/get; avoid an unhandled rejection
  return {
    state: {
      ready,
      isReady: () => model !== undefined,
      close: async () => {
        await ready.catch(() => undefined);
        await model?.close();
      },
    },
    get(): M {
      if (model) return model;
      if (failure) throw PipelineError.from(failure, PipelineErrorCode.MODEL_UNAVAILABLE);
      throw new PipelineError(PipelineErrorCode.MODEL_UNAVAILABLE, 'model is still loading; retry shortly');
    },
  };
}
