import {
  PipelineError,
  PipelineErrorCode,
  type ClassifyResponse,
  type Image,
  type Prediction,
  type ReduceNoiseResponse,
  type RemoveBackgroundResponse,
  type StageName,
  type UploadResponse,
} from '@imagepipeline/contracts';
import type { StageClient } from '../stage-client';

/** How the fake behaves per stage. */
export interface FakeStageClientOptions {
  /** Time each call takes, in ms (default 0: answers on the next microtask). */
  delayMs?: Partial<Record<StageName, number>>;
  /** The `computeMs` each stage reports (default: the stage's delay). */
  computeMs?: Partial<Record<StageName, number>>;
  /** Decides per call whether the stage fails, and with what. */
  failWith?: Partial<Record<StageName, (image: Image) => PipelineError | undefined>>;
}

/** One call the fake received. `input` is the image bytes as text. */
export interface FakeStageCall {
  stage: StageName;
  fileName: string;
  input: string;
  signal: AbortSignal;
}

/**
 * An in-memory StageClient for tests. Each stage appends a tag to the image bytes as text
 * (`photo` → `photo|uploaded|denoised|removed`), so a test can see what each stage was given;
 * the classifier answers `label-of(<its input>)`. Calls honour their signal, rejecting with its
 * reason, and a stage can be held until released to control interleaving.
 */
export class FakeStageClient implements StageClient {
  /** Every call received, in order. */
  readonly calls: FakeStageCall[] = [];
  closed = false;
  private readonly holds = new Map<StageName, Promise<void>>();

  constructor(private readonly options: FakeStageClientOptions = {}) {}

  /** Holds every call to `stage` (current and later) until the returned function is called. */
  hold(stage: StageName): () => void {
    let release!: () => void;
    this.holds.set(stage, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(stage);
      release();
    };
  }

  async upload(image: Image, signal: AbortSignal): Promise<UploadResponse> {
    const computeMs = await this.call('upload', image, signal);
    return { image: tagged(image, 'uploaded'), uploadId: `upload-${image.fileName}`, computeMs };
  }

  async reduceNoise(image: Image, signal: AbortSignal): Promise<ReduceNoiseResponse> {
    const computeMs = await this.call('noise_reduction', image, signal);
    return { image: tagged(image, 'denoised'), computeMs };
  }

  async removeBackground(image: Image, signal: AbortSignal): Promise<RemoveBackgroundResponse> {
    const computeMs = await this.call('background_removal', image, signal);
    return { image: tagged(image, 'removed'), computeMs };
  }

  async classify(image: Image, topK: number, signal: AbortSignal): Promise<ClassifyResponse> {
    const computeMs = await this.call('classification', image, signal);
    const label = `label-of(${image.data.toString()})`;
    const predictions: Prediction[] = Array.from({ length: topK }, (_, i) => ({
      label: i === 0 ? label : `other-${i}`,
      classIndex: i,
      probability: 1 / (i + 2),
    }));
    return { label, topK: predictions, computeMs };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Records the call, waits for holds and the delay, applies failures; answers computeMs. */
  private async call(stage: StageName, image: Image, signal: AbortSignal): Promise<number> {
    if (this.closed) throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'fake client is closed');
    this.calls.push({ stage, fileName: image.fileName, input: image.data.toString(), signal });
    const delay = this.options.delayMs?.[stage] ?? 0;
    const held = this.holds.get(stage);
    if (held) await abortable(held, signal);
    if (delay > 0) await sleep(delay, signal);
    else await Promise.resolve();
    if (signal.aborted) throw reasonOf(signal);
    const failure = this.options.failWith?.[stage]?.(image);
    if (failure) throw failure;
    return this.options.computeMs?.[stage] ?? delay;
  }
}

function tagged(image: Image, tag: string): Image {
  return { ...image, data: Buffer.from(`${image.data.toString()}|${tag}`), format: 'png' };
}

/** Waits for `promise` unless `signal` aborts first (then rejects with its reason). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(reasonOf(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits `ms` unless `signal` aborts first; the timer is cleared either way. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(reasonOf(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(reasonOf(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function reasonOf(signal: AbortSignal): PipelineError {
  return PipelineError.from(signal.reason, PipelineErrorCode.DEADLINE_EXCEEDED);
}
