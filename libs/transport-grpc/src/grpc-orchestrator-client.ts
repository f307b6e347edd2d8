import { status, type ServiceError } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_PIXELS,
  OrchestratorServiceClient,
  PipelineError,
  PipelineErrorCode,
  type Image,
  type ProcessEvent,
  type ProcessResult,
} from '@imagepipeline/contracts';
import type { OrchestratorClient, ProcessOptions } from '@imagepipeline/client';
import { orchestratorMessageLimits, type ClientSecurity } from '@imagepipeline/config';
import { grpcClientOptions } from './channel-options';
import { fromServiceError, PIPELINE_ERROR_CODE_KEY } from './error-status';
import { withImageCodecsClient } from './image-codec';
import { callMetadata, channelCredentials } from './transport-security';

const OrchestratorClientClass = withImageCodecsClient(OrchestratorServiceClient);

/** Options of {@link GrpcOrchestratorClient}. */
export interface GrpcOrchestratorClientOptions {
  /** Deadline of one image's whole pipeline; default 5 minutes. */
  timeoutMs?: number;
  /** Largest message sent or received; default: what an orchestrator with the default image limits answers. */
  maxMessageBytes?: number;
  /** TLS (when `ca` is set), the client certificate for mutual TLS, and the bearer token sent; none by default. */
  security?: ClientSecurity;
}

/** Further attempts of a call the orchestrator never took, and the wait before each. */
const UNTAKEN_CALL_RETRIES = 2;
const UNTAKEN_CALL_BACKOFF_MS = 250;

const DEFAULT_MAX_MESSAGE_BYTES = orchestratorMessageLimits({
  maxBytes: DEFAULT_MAX_IMAGE_BYTES,
  maxPixels: DEFAULT_MAX_PIXELS,
}).maxResponseBytes;

/**
 * The pipeline client's gRPC view of the orchestrator: `ProcessStream`, so each finished stage
 * is reported as it happens, then the result.
 */
export class GrpcOrchestratorClient implements OrchestratorClient {
  private readonly client: OrchestratorServiceClient;

  constructor(
    private readonly address: string,
    private readonly options: GrpcOrchestratorClientOptions = {},
  ) {
    this.client = new OrchestratorClientClass(
      address,
      channelCredentials(options.security),
      grpcClientOptions(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES),
    );
  }

  /**
   * Sends the image, and again (twice at most) when the orchestrator sent nothing back: UNAVAILABLE
   * without a pipeline code and no event yet. That is a stream refused as the server closed the
   * connection (its maximum age: the call raced the GOAWAY), which grpc-js retries by itself only
   * for requests smaller than its retry buffer, or an orchestrator not reachable (yet). An image
   * sent twice is processed anew: no stage keeps state between calls.
   */
  async process(image: Image, options: ProcessOptions): Promise<ProcessResult> {
    const where = `orchestrator at ${this.address}`;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.attempt(image, options, where);
      } catch (failure) {
        if (failure instanceof PipelineError) throw failure;
        const { error, taken } = failure as FailedAttempt;
        if (taken || attempt >= UNTAKEN_CALL_RETRIES) {
          throw fromServiceError(error, attempt > 0 ? `${where} (${attempt + 1} attempts)` : where);
        }
        await sleep(UNTAKEN_CALL_BACKOFF_MS * (attempt + 1));
      }
    }
  }

  private attempt(image: Image, options: ProcessOptions, where: string): Promise<ProcessResult> {
    return new Promise((resolve, reject) => {
      let result: ProcessResult | undefined;
      let events = 0;
      const stream = this.client.processStream(
        { image, topK: options.topK, includeIntermediates: options.includeIntermediates },
        callMetadata(this.options.security?.token),
        { deadline: Date.now() + (this.options.timeoutMs ?? 300_000) },
      );
      stream.on('data', (message: ProcessEvent) => {
        events += 1;
        const event = message.event;
        if (event?.$case === 'stageDone') options.onStageDone?.(event.value);
        else if (event?.$case === 'result') result = event.value;
      });
      stream.on('error', (error: ServiceError) => reject({ error, taken: events > 0 || !notTaken(error) } satisfies FailedAttempt));
      stream.on('end', () => {
        if (result) resolve(result);
        else reject(new PipelineError(PipelineErrorCode.INTERNAL, `${where} ended the stream without a result`));
      });
    });
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

interface FailedAttempt {
  error: ServiceError;
  /** Whether the orchestrator may have started on the image. */
  taken: boolean;
}

/** UNAVAILABLE that the orchestrator did not answer itself (it would have set a pipeline code). */
function notTaken(error: ServiceError): boolean {
  return error.code === status.UNAVAILABLE && (error.metadata?.get(PIPELINE_ERROR_CODE_KEY).length ?? 0) === 0;
}
