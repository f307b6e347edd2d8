import { describe, expect, it } from 'vitest';
import { bearerTokenPlugin } from './bearer-token-plugin';
import { callLogPlugin } from './call-log-plugin';
import { concurrencyGuardPlugin } from './concurrency-guard-plugin';
import { healthPlugin } from './health-plugin';
import { imageInputPlugin } from './image-input-plugin';
import * as transportRest from './index';
import { jobRoutesPlugin } from './job-routes-plugin';
import { metricsPlugin } from './metrics-plugin';
import { pipelineRoutesPlugin } from './pipeline-routes-plugin';
import { restErrorsPlugin } from './rest-errors-plugin';
import { stageRoutesPlugin } from './stage-routes-plugin';

describe('@imagepipeline/transport-rest', () => {
  it('exports exactly what apps and tools use', () => {
    expect(Object.keys(transportRest).sort()).toEqual(
      [
        'HTTP_STATUS_BY_ERROR_CODE',
        'RestOrchestratorClient',
        'RestStageClient',
        'buildWebServer',
        'runOrchestratorRestServer',
        'runStageRestServer',
        'webServerTransport',
      ].sort(),
    );
  });

  it('names every plugin', () => {
    for (const plugin of [
      restErrorsPlugin,
      healthPlugin,
      metricsPlugin,
      concurrencyGuardPlugin,
      imageInputPlugin,
      stageRoutesPlugin,
      pipelineRoutesPlugin,
      jobRoutesPlugin,
      callLogPlugin,
      bearerTokenPlugin,
    ]) {
      expect((plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')]).toMatch(/^@imagepipeline\/rest-/);
    }
  });
});
