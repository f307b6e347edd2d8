import type { Server } from '@grpc/grpc-js';
import {
  ORCHESTRATOR_SERVICE,
  OrchestratorServiceService,
  type OrchestratorServiceServer,
  type ProcessEvent,
  type ProcessRequest,
  type ProcessResult,
  type StageSpan,
} from '@imagepipeline/contracts';
import { CallGuard } from './call-guard';
import { withImageCodecs } from './image-codec';
import { tolerateMalformedRequests } from './malformed-request';
import type { GrpcServiceBinding } from './service-binding';

/** What the orchestrator service needs from the pipeline's `Orchestrator`. */
export interface ImageProcessor {
  process(
    request: ProcessRequest,
    options?: { onStageDone?: (span: StageSpan) => void; signal?: AbortSignal },
  ): Promise<ProcessResult>;
}

/**
 * `imagepipeline.v1.OrchestratorService`: `Process` answers the whole result; `ProcessStream` writes
 * a `stageDone` event as each stage finishes, then the `result`, and ends. A cancelled call aborts
 * the image's remaining stage work.
 */
export class OrchestratorGrpcService implements GrpcServiceBinding {
  readonly serviceName = ORCHESTRATOR_SERVICE.grpcService;

  constructor(private readonly orchestrator: ImageProcessor) {}

  addToServer(server: Pick<Server, 'addService'>, guard = CallGuard.unguarded()): void {
    const implementation: OrchestratorServiceServer = {
      process: guard.unary('Process', (request, signal) => this.orchestrator.process(request, { signal })),
      processStream: guard.serverStream<ProcessRequest, ProcessEvent>('ProcessStream', async (request, emit, signal) => {
        const onStageDone = (span: StageSpan) => emit({ event: { $case: 'stageDone', value: span } });
        const result = await this.orchestrator.process(request, { onStageDone, signal });
        return { event: { $case: 'result', value: result } };
      }),
    };
    server.addService(tolerateMalformedRequests(withImageCodecs(OrchestratorServiceService)), implementation);
  }
}
