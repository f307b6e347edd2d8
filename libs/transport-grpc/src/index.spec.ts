import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('@imagepipeline/transport-grpc public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'BackgroundRemoverGrpcService',
        'CallGuard',
        'ClassifierGrpcService',
        'ConcurrencyLimiter',
        'GRPC_STATUS_BY_PIPELINE_CODE',
        'GrpcOrchestratorClient',
        'GrpcStageClient',
        'HEALTH_SERVICE_NAME',
        'NoiseReducerGrpcService',
        'OrchestratorGrpcService',
        'PIPELINE_ERROR_CODE_KEY',
        'RETRY_AFTER_KEY',
        'UploaderGrpcService',
        'addReflection',
        'createJsonLogger',
        'fromServiceError',
        'grpcClientOptions',
        'grpcServerOptions',
        'grpcStageClientOptions',
        'runGrpcServer',
        'runOrchestratorGrpcServer',
        'runStageGrpcServer',
        'stageGrpcService',
        'startGrpcServer',
        'statusName',
        'toServiceError',
      ].sort(),
    );
  });
});
