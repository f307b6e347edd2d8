import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import {
  isPipelineErrorCode,
  PIPELINE_DESCRIPTOR_SET_BASE64,
  PipelineError,
  PipelineErrorCode,
  ProcessEvent,
  ProcessResult,
  STAGE_NAMES,
} from './index';

describe('wire types', () => {
  it('round-trips a result with image bytes and a timeline through protobuf', () => {
    const result = ProcessResult.fromPartial({
      fileName: 'cat.png',
      processedImage: { data: Buffer.from([1, 2, 3]), format: 'png', width: 2, height: 1, fileName: 'cat.png' },
      label: 'tabby',
      topK: [{ label: 'tabby', classIndex: 281, probability: 0.7 }],
      timeline: STAGE_NAMES.map((stage, i) => ({ stage, enqueuedAtMs: i, startedAtMs: i + 1, endedAtMs: i + 2, observedMs: 1, computeMs: 0.5 })),
    });
    const event = ProcessEvent.decode(ProcessEvent.encode({ event: { $case: 'result', value: result } }).finish());
    expect(event.event?.$case).toBe('result');
    expect(event.event?.value).toEqual(result);
  });

  it('embeds a descriptor set that declares every service', () => {
    const definition = loadFileDescriptorSetFromBuffer(Buffer.from(PIPELINE_DESCRIPTOR_SET_BASE64, 'base64'));
    const services = Object.keys(definition).filter((name) => name.endsWith('Service'));
    expect(services.sort()).toEqual([
      'imagepipeline.v1.BackgroundRemoverService',
      'imagepipeline.v1.ClassifierService',
      'imagepipeline.v1.NoiseReducerService',
      'imagepipeline.v1.OrchestratorService',
      'imagepipeline.v1.UploaderService',
    ]);
  });
});

describe('PipelineError', () => {
  it('keeps an existing PipelineError and wraps anything else with a code', () => {
    const original = new PipelineError(PipelineErrorCode.QUEUE_FULL, 'full');
    expect(PipelineError.from(original)).toBe(original);
    const wrapped = PipelineError.from(new Error('boom'), PipelineErrorCode.STAGE_UNAVAILABLE);
    expect(wrapped).toMatchObject({ code: 'STAGE_UNAVAILABLE', message: 'boom' });
  });

  it('recognises only its own codes', () => {
    expect(isPipelineErrorCode('IMAGE_TOO_LARGE')).toBe(true);
    expect(isPipelineErrorCode('constructor')).toBe(false);
    expect(isPipelineErrorCode(42)).toBe(false);
  });
});
