import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineErrorCode } from '@imagepipeline/contracts';
import { defaultModelCacheDir, modelOptionsFromEnv } from './index';

describe('defaultModelCacheDir', () => {
  it('uses XDG_CACHE_HOME when it is absolute', () => {
    expect(defaultModelCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/image-pipeline/models');
  });

  it('falls back to ~/.cache', () => {
    const expected = join(homedir(), '.cache', 'image-pipeline', 'models');
    expect(defaultModelCacheDir()).toBe(expected);
    expect(defaultModelCacheDir({ XDG_CACHE_HOME: 'relative/path' })).toBe(expected);
  });
});

describe('modelOptionsFromEnv', () => {
  it('reads the three variables', () => {
    expect(
      modelOptionsFromEnv({
        PIPELINE_MODEL_DIR: '/models',
        PIPELINE_MODEL_CACHE_DIR: 'cache',
        PIPELINE_MODEL_DOWNLOAD: 'off',
      }),
    ).toEqual({ modelDir: '/models', cacheDir: resolve('cache'), allowDownload: false });
  });

  it('defaults to no directory, the user cache and downloads on', () => {
    expect(modelOptionsFromEnv({ XDG_CACHE_HOME: '/xdg', PIPELINE_MODEL_DIR: ' ' })).toEqual({
      cacheDir: '/xdg/image-pipeline/models',
      allowDownload: true,
    });
  });

  it('names the variable when PIPELINE_MODEL_DOWNLOAD is not a boolean', () => {
    expect(() => modelOptionsFromEnv({ PIPELINE_MODEL_DOWNLOAD: 'maybe' })).toThrow(
      expect.objectContaining({
        code: PipelineErrorCode.INVALID_ARGUMENT,
        message: expect.stringContaining('PIPELINE_MODEL_DOWNLOAD'),
      }),
    );
  });
});
