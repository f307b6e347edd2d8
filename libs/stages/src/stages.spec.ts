import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineErrorCode, type Image } from '@imagepipeline/contracts';
import { loadStageServiceConfig } from '@imagepipeline/config';
import { DEFAULT_IMAGE_LIMITS } from '@imagepipeline/imaging';
import { testPhotoImage } from '@imagepipeline/imaging/testing';
import type { ForegroundSegmenter } from '@imagepipeline/models';
import { testModelEnv } from '@imagepipeline/models/testing';
import {
  createBackgroundRemoverRuntime,
  createClassifierRuntime,
  reduceNoise,
  removeBackground,
  uploadImage,
  type BackgroundRemoverRuntime,
  type ClassifierRuntime,
} from './index';

/** Mean alpha of a square region given by its top-left corner and size. */
async function meanAlpha(png: Buffer, left: number, top: number, size: number): Promise<number> {
  const { data } = await sharp(png).extract({ left, top, width: size, height: size }).extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  return data.reduce((sum, value) => sum + value, 0) / data.length;
}

let workDir: string;
let background: BackgroundRemoverRuntime;
let classifier: ClassifierRuntime;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'stages-spec-'));
  const config = loadStageServiceConfig('background-remover', 'grpc', testModelEnv());
  background = createBackgroundRemoverRuntime(config);
  classifier = createClassifierRuntime(config);
  await Promise.all([background.ready, classifier.ready]);
});

afterAll(async () => {
  await Promise.all([background?.close(), classifier?.close()]);
  await rm(workDir, { recursive: true, force: true });
});

describe('uploadImage', () => {
  it('answers a normalised PNG under the sha256 of the bytes sent', async () => {
    const image = await testPhotoImage('rocket.jpg');
    const result = await uploadImage({ image, outputFormat: '' }, { limits: DEFAULT_IMAGE_LIMITS });
    expect(result.uploadId).toBe(createHash('sha256').update(image.data).digest('hex'));
    expect(result.image!).toMatchObject({ format: 'png', width: 640, height: 427, fileName: 'rocket.jpg' });
    expect((await sharp(result.image!.data).metadata()).format).toBe('png');
    expect(result.computeMs).toBeGreaterThan(0);
  });

  it('rejects bytes that are not an image with a typed error', async () => {
    const text: Image = { data: Buffer.from('hello, not an image'), format: '', width: 0, height: 0, fileName: 'x.jpg', channels: 0 };
    await expect(uploadImage({ image: text, outputFormat: '' }, { limits: DEFAULT_IMAGE_LIMITS })).rejects.toMatchObject({
      code: PipelineErrorCode.IMAGE_UNREADABLE,
    });
  });

  it('rejects a request without an image', async () => {
    await expect(uploadImage({ image: undefined, outputFormat: '' }, { limits: DEFAULT_IMAGE_LIMITS })).rejects.toMatchObject({
      code: PipelineErrorCode.INVALID_ARGUMENT,
    });
  });

  it('answers raw pixels when asked, which the next stage reads as they are', async () => {
    const image = await testPhotoImage('rocket.jpg');
    const raw = (await uploadImage({ image, outputFormat: 'raw' }, { limits: DEFAULT_IMAGE_LIMITS })).image!;
    expect(raw).toMatchObject({ format: 'raw', width: 640, height: 427, channels: 3, fileName: 'rocket.jpg' });
    expect(raw.data.length).toBe(640 * 427 * 3);
    const decoded = await sharp(image.data).raw().toBuffer();
    expect(Buffer.compare(raw.data, decoded)).toBe(0);
  });

  it('refuses raw pixels and an unknown output format with INVALID_ARGUMENT', async () => {
    const pixels: Image = { data: Buffer.alloc(12), format: 'raw', width: 2, height: 2, fileName: 'p', channels: 3 };
    const options = { limits: DEFAULT_IMAGE_LIMITS };
    await expect(uploadImage({ image: pixels, outputFormat: '' }, options)).rejects.toMatchObject({
      code: PipelineErrorCode.INVALID_ARGUMENT,
      message: 'the uploader takes an image file, not raw pixels',
    });
    const image = await testPhotoImage('rocket.jpg');
    await expect(uploadImage({ image, outputFormat: 'webp' }, options)).rejects.toMatchObject({
      code: PipelineErrorCode.INVALID_ARGUMENT,
      message: 'outputFormat must be png or raw, got "webp"',
    });
  });
});

describe('reduceNoise', () => {
  it('returns a PNG of the same size', async () => {
    const image = await testPhotoImage('chelsea.png');
    const result = await reduceNoise({ image, outputFormat: '' }, { kernelSize: 5, limits: DEFAULT_IMAGE_LIMITS });
    expect(result.image).toMatchObject({ format: 'png', width: 451, height: 300 });
    expect(result.computeMs).toBeGreaterThan(0);
  });

  it('takes and answers raw pixels, checking them against the pixel limit', async () => {
    const pixels: Image = { data: Buffer.alloc(4 * 3 * 4, 7), format: 'raw', width: 4, height: 3, fileName: 'p', channels: 4 };
    const result = await reduceNoise({ image: pixels, outputFormat: 'raw' }, { kernelSize: 3, limits: DEFAULT_IMAGE_LIMITS });
    expect(result.image).toMatchObject({ format: 'raw', width: 4, height: 3, channels: 4, data: Buffer.alloc(48, 7) });
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxPixels: 11 };
    await expect(reduceNoise({ image: pixels, outputFormat: 'raw' }, { kernelSize: 3, limits })).rejects.toMatchObject({
      code: PipelineErrorCode.IMAGE_TOO_MANY_PIXELS,
    });
    const short = { ...pixels, data: Buffer.alloc(47) };
    await expect(reduceNoise({ image: short, outputFormat: 'raw' }, { kernelSize: 3, limits: DEFAULT_IMAGE_LIMITS })).rejects.toMatchObject({
      code: PipelineErrorCode.INVALID_ARGUMENT,
      message: 'raw image has 47 bytes, expected 4×3×4 = 48',
    });
  });
});

describe('removeBackground', () => {
  it.each(['chelsea.png', 'coffee.png', 'eagle.jpg'])('cuts %s out: RGBA PNG at the input size, opaque centre, clear corners', async (name) => {
    const input = await testPhotoImage(name);
    const { width = 0, height = 0 } = await sharp(input.data).metadata();
    const image = (await background.removeBackground({ image: input })).image!;
    const meta = await sharp(image.data).metadata();
    expect(meta).toMatchObject({ format: 'png', width, height, channels: 4 });
    const size = Math.floor(Math.min(width, height) / 8);
    const centre = await meanAlpha(image.data, Math.floor(width / 2 - size / 2), Math.floor(height / 2 - size / 2), size);
    const corners = await Promise.all([
      meanAlpha(image.data, 0, 0, size),
      meanAlpha(image.data, width - size, 0, size),
      meanAlpha(image.data, 0, height - size, size),
      meanAlpha(image.data, width - size, height - size, size),
    ]);
    const cornerMean = corners.reduce((a, b) => a + b, 0) / corners.length;
    expect(centre).toBeGreaterThan(cornerMean + 100);
  });
});

describe('a stage whose caller goes away', () => {
  it('stops before its next step: no inference after the decode the caller no longer waits for', async () => {
    const image = await testPhotoImage('rocket.jpg');
    let segmented = false;
    const segmenter = { segment: async () => ((segmented = true), new Float32Array()) } as unknown as ForegroundSegmenter;
    const caller = new AbortController();
    const work = removeBackground(image, { segmenter, limits: DEFAULT_IMAGE_LIMITS, signal: caller.signal });
    caller.abort();
    await expect(work).rejects.toMatchObject({ code: PipelineErrorCode.DEADLINE_EXCEEDED, message: expect.stringMatching(/before segmentation/) });
    expect(segmented).toBe(false);
  });

  it('starts nothing when the caller is gone before the work begins', async () => {
    const image = await testPhotoImage('rocket.jpg');
    await expect(reduceNoise({ image, outputFormat: 'raw' }, { kernelSize: 5, limits: DEFAULT_IMAGE_LIMITS, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: PipelineErrorCode.DEADLINE_EXCEEDED,
      message: expect.stringMatching(/before decoding/),
    });
  });
});

describe('classifyImage', () => {
  it.each([
    ['chelsea.png', 'Egyptian cat'],
    ['coffee.png', 'espresso'],
    ['camera.png', 'tripod'],
    ['eagle.jpg', 'kite'],
  ])('labels %s "%s"', async (name, label) => {
    const result = await classifier.classify({ image: await testPhotoImage(name), topK: 3 });
    expect(result.label).toBe(label);
    expect(result.topK).toHaveLength(3);
    expect(result.topK[0].probability).toBeGreaterThan(result.topK[1].probability);
  });
});

describe('a runtime observed for its timings', () => {
  it("reports each call's compute time and model inference to the observer attached, once attached", async () => {
    const reported: string[] = [];
    const coffee = await testPhotoImage('coffee.png');
    await classifier.classify({ image: coffee, topK: 1 });
    classifier.observeTimings?.({
      stageComputed: (stage) => reported.push(`stage ${stage}`),
      modelInferred: (model) => reported.push(`model ${model}`),
    });
    const { computeMs } = await classifier.classify({ image: coffee, topK: 1 });
    expect(computeMs).toBeGreaterThan(0);
    expect(reported).toEqual(['model mobilenetv2-int8', 'stage classifier']);
  });
});

describe('a stage whose model cannot be found', () => {
  it('fails readiness and calls with the resolution message', async () => {
    const config = loadStageServiceConfig('classifier', 'rest', {
      PIPELINE_MODEL_DIR: join(workDir, 'no-models-here'),
      PIPELINE_MODEL_CACHE_DIR: join(workDir, 'empty-cache'),
      PIPELINE_MODEL_DOWNLOAD: 'false',
    });
    const runtime = createClassifierRuntime(config);
    await expect(runtime.ready).rejects.toThrow(/mobilenetv2-12-int8\.onnx[\s\S]*PIPELINE_MODEL_DIR/);
    expect(runtime.isReady()).toBe(false);
    await expect(runtime.classify({ image: await testPhotoImage('coffee.png'), topK: 1 })).rejects.toMatchObject({
      code: PipelineErrorCode.MODEL_UNAVAILABLE,
    });
    await runtime.close();
  });
});
