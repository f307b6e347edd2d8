import { describe, expect, it } from 'vitest';
import * as transportRest from './index';

describe('@imagepipeline/transport-rest', () => {
  it('exports exactly its public API', () => {
    expect(Object.keys(transportRest).sort()).toEqual(
      [
        'HTTP_STATUS_BY_ERROR_CODE',
        'RestOrchestratorClient',
        'RestStageClient',
        'buildOrchestratorRestServer',
        'buildStageRestServer',
        'concurrencyGuardPlugin',
        'createRestServer',
        'errorCodeForHttpStatus',
        'healthPlugin',
        'imageInputPlugin',
        'jobRoutesPlugin',
        'metricsPlugin',
        'pipelineErrorFromHttp',
        'pipelineRoutesPlugin',
        'restErrorReply',
        'restErrorsPlugin',
        'runOrchestratorRestServer',
        'runStageRestServer',
        'stageRoutesPlugin',
        'startRestServer',
      ].sort(),
    );
  });

  it('names every plugin', () => {
    for (const plugin of [
      transportRest.restErrorsPlugin,
      transportRest.healthPlugin,
      transportRest.metricsPlugin,
      transportRest.concurrencyGuardPlugin,
      transportRest.imageInputPlugin,
      transportRest.stageRoutesPlugin,
      transportRest.pipelineRoutesPlugin,
      transportRest.jobRoutesPlugin,
    ]) {
      expect((plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')]).toMatch(/^@imagepipeline\/rest-/);
    }
  });
});
