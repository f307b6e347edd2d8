import { describe, expect, it } from 'vitest';
import { largestStageImageBytes, MESSAGE_ENVELOPE_BYTES } from './message-limits';
import { loadOrchestratorConfig, loadStageServiceConfig } from './service-config';

const MiB = 1024 * 1024;

describe('message limits, from the image limits', () => {
  it('let a stage take and answer raw RGBA pixels, or their stored PNG, of the pixel limit', () => {
    const { server, limits } = loadStageServiceConfig('noise-reducer', 'grpc', {});
    expect(limits).toEqual({ maxBytes: 50 * MiB, maxPixels: 52_000_000 });
    expect(largestStageImageBytes(limits.maxPixels)).toBeGreaterThan(4 * limits.maxPixels + limits.maxPixels);
    expect(server.maxRequestBytes).toBe(largestStageImageBytes(limits.maxPixels) + MESSAGE_ENVELOPE_BYTES);
    expect(server.maxResponseBytes).toBe(server.maxRequestBytes);
  });

  it('let the orchestrator take one image of the byte limit and answer three images of the pixel limit', () => {
    const { server } = loadOrchestratorConfig('grpc', { PIPELINE_MAX_IMAGE_BYTES: String(10 * MiB), PIPELINE_MAX_PIXELS: '1000000' });
    expect(server.maxRequestBytes).toBe(10 * MiB + MESSAGE_ENVELOPE_BYTES);
    expect(server.maxResponseBytes).toBe(3 * largestStageImageBytes(1_000_000) + MESSAGE_ENVELOPE_BYTES);
  });

  it('keep an encoded image over the pixel limit\'s raw size within a stage message', () => {
    const { server } = loadStageServiceConfig('uploader', 'rest', { PIPELINE_MAX_IMAGE_BYTES: String(64 * MiB), PIPELINE_MAX_PIXELS: '1000' });
    expect(server.maxRequestBytes).toBe(64 * MiB + MESSAGE_ENVELOPE_BYTES);
  });

  it('refuse a pixel limit whose answers would not fit one gRPC message', () => {
    expect(() => loadStageServiceConfig('uploader', 'grpc', { PIPELINE_MAX_PIXELS: '200000000' })).toThrow(
      /PIPELINE_MAX_PIXELS: expected an integer from 1 to 100000000/,
    );
  });
});
