import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('@imagepipeline/transport-grpc public API', () => {
  it('exports exactly what apps and tools use', () => {
    expect(Object.keys(api).sort()).toEqual(
      ['GrpcOrchestratorClient', 'GrpcStageClient', 'grpcStageClientOptions', 'runOrchestratorGrpcServer', 'runStageGrpcServer'].sort(),
    );
  });
});
