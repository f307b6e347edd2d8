import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelCacheDir } from '../index';
import { testModelOptions } from './index';

describe('testModelOptions', () => {
  it('takes PIPELINE_MODEL_DIR with downloads off, even where the environment allows them', () => {
    expect(testModelOptions({ PIPELINE_MODEL_DIR: 'models', PIPELINE_MODEL_DOWNLOAD: 'on' })).toMatchObject({
      modelDir: resolve('models'),
      allowDownload: false,
    });
  });

  it("without PIPELINE_MODEL_DIR, resolves as the product does: the user's cache, downloads on", () => {
    expect(testModelOptions({ XDG_CACHE_HOME: '/var/cache/me' })).toEqual({
      cacheDir: defaultModelCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }),
      allowDownload: true,
    });
    expect(testModelOptions({ PIPELINE_MODEL_CACHE_DIR: 'cache', PIPELINE_MODEL_DOWNLOAD: 'off' })).toEqual({
      cacheDir: resolve('cache'),
      allowDownload: false,
    });
  });
});
