/**
 * Every stage as each layer names it, one row per stage in pipeline order: the name on the wire
 * (`StageSpan.stage`), the service that runs it, its REST route, its gRPC service and method (as in
 * `pipeline.proto`), its default ports in the local topology (the original project's) and the
 * variable that gives the orchestrator its address (the original project's too). The transports'
 * bindings and clients, the configuration and the orchestrator all read their names from here.
 */
export const STAGE_TABLE = [
  {
    stage: 'upload',
    service: 'uploader',
    restRoute: '/v1/upload',
    grpcService: 'imagepipeline.v1.UploaderService',
    grpcMethod: 'Upload',
    defaultPorts: { grpc: 50040, rest: 50060 },
    addressVariable: 'UPLOADER_ADDR',
  },
  {
    stage: 'noise_reduction',
    service: 'noise-reducer',
    restRoute: '/v1/reduce-noise',
    grpcService: 'imagepipeline.v1.NoiseReducerService',
    grpcMethod: 'ReduceNoise',
    defaultPorts: { grpc: 50041, rest: 50061 },
    addressVariable: 'NOISE_ADDR',
  },
  {
    stage: 'background_removal',
    service: 'background-remover',
    restRoute: '/v1/remove-background',
    grpcService: 'imagepipeline.v1.BackgroundRemoverService',
    grpcMethod: 'RemoveBackground',
    defaultPorts: { grpc: 50042, rest: 50062 },
    addressVariable: 'BACKGROUND_ADDR',
  },
  {
    stage: 'classification',
    service: 'classifier',
    restRoute: '/v1/classify',
    grpcService: 'imagepipeline.v1.ClassifierService',
    grpcMethod: 'Classify',
    defaultPorts: { grpc: 50043, rest: 50063 },
    addressVariable: 'CLASSIFIER_ADDR',
  },
] as const;

/** The orchestrator's names and default ports; its REST routes are in `REST_ROUTES`. */
export const ORCHESTRATOR_SERVICE = {
  service: 'orchestrator',
  grpcService: 'imagepipeline.v1.OrchestratorService',
  defaultPorts: { grpc: 50030, rest: 50051 },
} as const;

export type StageTableRow = (typeof STAGE_TABLE)[number];

/** A stage as named on the wire (`StageSpan.stage`). */
export type StageName = StageTableRow['stage'];

/** A stage service, as named in configuration, logs and deployment. */
export type StageServiceName = StageTableRow['service'];

/** The four stages in pipeline order, named as they appear on the wire. */
export const STAGE_NAMES: readonly StageName[] = STAGE_TABLE.map((row) => row.stage);

/** The row of one stage service. */
export function stageTableRow<Service extends StageServiceName>(service: Service): Extract<StageTableRow, { service: Service }> {
  return STAGE_TABLE.find((row) => row.service === service) as Extract<StageTableRow, { service: Service }>;
}
