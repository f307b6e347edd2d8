import { PipelineErrorCode } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_IN_FLIGHT_IMAGES, DEFAULT_STAGE_OPTIONS, resolveOrchestratorOptions } from './orchestrator-options';

describe('resolveOrchestratorOptions', () => {
  it('uses the documented defaults', () => {
    const options = resolveOrchestratorOptions();
    expect(options).toEqual({
      stages: DEFAULT_STAGE_OPTIONS,
      maxInFlightImages: DEFAULT_MAX_IN_FLIGHT_IMAGES,
      memoryBudgetBytes: 4 * 1024 ** 3,
      maxPixels: 52_000_000,
    });
    expect(options.maxInFlightImages).toBe(128);
    expect(options.stages).toEqual({
      upload: { concurrency: 2, queueCapacity: 64, deadlineMs: 30_000 },
      noise_reduction: { concurrency: 2, queueCapacity: 64, deadlineMs: 30_000 },
      background_removal: { concurrency: 1, queueCapacity: 64, deadlineMs: 120_000 },
      classification: { concurrency: 2, queueCapacity: 64, deadlineMs: 30_000 },
    });
  });

  it('overrides field by field and ignores undefined fields', () => {
    const options = resolveOrchestratorOptions({
      stages: { background_removal: { concurrency: 3, deadlineMs: undefined } },
      maxInFlightImages: 4,
    });
    expect(options.stages.background_removal).toEqual({ concurrency: 3, queueCapacity: 64, deadlineMs: 120_000 });
    expect(options.stages.upload).toEqual(DEFAULT_STAGE_OPTIONS.upload);
    expect(options.maxInFlightImages).toBe(4);
  });

  it('lists every bad option in one INVALID_ARGUMENT error', () => {
    const attempt = () =>
      resolveOrchestratorOptions({
        stages: { upload: { concurrency: 0, queueCapacity: -1 }, nope: {} } as never,
        maxInFlightImages: 1.5,
      });
    expect(attempt).toThrow(expect.objectContaining({ code: PipelineErrorCode.INVALID_ARGUMENT }));
    expect(attempt).toThrow(
      'invalid orchestrator options: stages.nope: expected one of upload, noise_reduction, background_removal, classification; ' +
        'stages.upload.concurrency: expected a positive integer, got 0; ' +
        'stages.upload.queueCapacity: expected a non-negative integer, got -1; ' +
        'maxInFlightImages: expected a positive integer, got 1.5',
    );
  });
});

describe('orchestratorOptionsFromConfig', () => {
  it('maps service tuning onto pipeline stages and keeps unset values for the defaults', async () => {
    const { loadOrchestratorConfig } = await import('@imagepipeline/config');
    const { orchestratorOptionsFromConfig } = await import('./options-from-config');
    const config = loadOrchestratorConfig('grpc', { ORCH_BACKGROUND_REMOVER_CONCURRENCY: '3', ORCH_MAX_IN_FLIGHT: '9' });
    const resolved = resolveOrchestratorOptions(orchestratorOptionsFromConfig(config));
    expect(resolved.stages.background_removal.concurrency).toBe(3);
    expect(resolved.stages.upload).toEqual(DEFAULT_STAGE_OPTIONS.upload);
    expect(resolved.maxInFlightImages).toBe(9);
  });
});
