import type {
  ClassifyResponse,
  Image,
  ReduceNoiseResponse,
  RemoveBackgroundResponse,
  UploadResponse,
} from '@imagepipeline/contracts';

/**
 * What the orchestrator needs from the four stage services, whatever carries the calls.
 *
 * The gRPC and REST implementations live in the transport libs. Every method:
 * - rejects only with a `PipelineError` (an implementation maps its transport's errors, e.g. an
 *   unreachable service to `STAGE_UNAVAILABLE`, a passed deadline to `DEADLINE_EXCEEDED`);
 * - stops its call and rejects soon after `signal` aborts, preferably with `signal.reason` (the
 *   orchestrator aborts with a `PipelineError` when a stage deadline passes or the caller cancels);
 * - reports the stage's own `computeMs`, so the orchestrator can split transport from compute.
 *
 * The client is owned by whoever created it: `Orchestrator.close()` does not close it.
 */
export interface StageClient {
  /** Sends the original image to the uploader; answers the normalised image (raw pixels) and its upload id. */
  upload(image: Image, signal: AbortSignal): Promise<UploadResponse>;
  /** Sends an image to the noise reducer; answers the denoised image (raw pixels). */
  reduceNoise(image: Image, signal: AbortSignal): Promise<ReduceNoiseResponse>;
  /** Sends an image to the background remover; answers an RGBA PNG at the input's size. */
  removeBackground(image: Image, signal: AbortSignal): Promise<RemoveBackgroundResponse>;
  /** Sends an image to the classifier; answers the top-1 label and the `topK` best predictions. */
  classify(image: Image, topK: number, signal: AbortSignal): Promise<ClassifyResponse>;
  /** Releases connections and other resources; calls made afterwards reject. */
  close(): Promise<void>;
}
