import { STAGE_TABLE } from '@imagepipeline/contracts';
import { stageMessageLimits, type OrchestratorConfig, type StageServiceName } from '@imagepipeline/config';
import { DEFAULT_STAGE_OPTIONS } from '@imagepipeline/pipeline';
import type { GrpcStageClientOptions } from './grpc-stage-client';

/**
 * `GrpcStageClient` options from the orchestrator's configuration: the stage addresses, its retry
 * count, the stages' message limit, and per stage a call deadline equal to the stage's queue deadline
 * (wait and call together), so a call never outlives the image's own deadline; and how it reaches
 * the stages (TLS, client certificate, token).
 */
export function grpcStageClientOptions(config: OrchestratorConfig): GrpcStageClientOptions {
  const callTimeoutMs = {} as Record<StageServiceName, number>;
  for (const { service, stage } of STAGE_TABLE) {
    callTimeoutMs[service] = config.stages[service].deadlineMs ?? DEFAULT_STAGE_OPTIONS[stage].deadlineMs;
  }
  return {
    addresses: config.stageAddresses,
    retries: config.stageCallRetries,
    callTimeoutMs,
    // What a stage service takes and answers: raw pixels of the pixel limit.
    maxMessageBytes: stageMessageLimits(config.limits).maxRequestBytes,
    security: config.stageSecurity,
  };
}
