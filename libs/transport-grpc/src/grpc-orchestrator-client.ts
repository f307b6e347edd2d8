import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
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
import { orchestratorMessageLimits } from '@imagepipeline/config';
import { grpcClientOptions } from './channel-options';
import { fromServiceError } from './error-status';
import { withImageCodecsClient } from './image-codec';

const OrchestratorClientClass = withImageCodecsClient(OrchestratorServiceClient);

/** Options of {@link GrpcOrchestratorClient}. */
export interface GrpcOrchestratorClientOptions {
  /** Deadline of one image's whole pipeline; default 5 minutes. */
  timeoutMs?: number;
  /** Largest message sent or received; default: what an orchestrator with the default image limits answers. */
  maxMessageBytes?: number;
}

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
      credentials.createInsecure(),
      grpcClientOptions(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES),
    );
  }

  process(image: Image, options: ProcessOptions): Promise<ProcessResult> {
    const where = `orchestrator at ${this.address}`;
    return new Promise((resolve, reject) => {
      let result: ProcessResult | undefined;
      const stream = this.client.processStream(
        { image, topK: options.topK, includeIntermediates: options.includeIntermediates },
        new Metadata(),
        { deadline: Date.now() + (this.options.timeoutMs ?? 300_000) },
      );
      stream.on('data', (message: ProcessEvent) => {
        const event = message.event;
        if (event?.$case === 'stageDone') options.onStageDone?.(event.value);
        else if (event?.$case === 'result') result = event.value;
      });
      stream.on('error', (error: ServiceError) => reject(fromServiceError(error, where)));
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
