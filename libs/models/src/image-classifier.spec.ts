import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATION_SHORT_SIDE, PipelineErrorCode } from '@imagepipeline/contracts';
import { resizeShortSide } from '@imagepipeline/imaging';
import { ImageClassifier } from './index';
import { decodeTestPhoto } from './testing/decode-test-photo';
import { testModelOptions } from './testing/index';

describe('ImageClassifier (real MobileNetV2 int8)', () => {
  let classifier: ImageClassifier;

  beforeAll(async () => {
    classifier = await ImageClassifier.load({ ...testModelOptions(), intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await classifier?.close();
  });

  it.each([
    ['chelsea.png', 'Egyptian cat', 285],
    ['coffee.png', 'espresso', 967],
    ['camera.png', 'tripod', 872],
    ['eagle.jpg', 'kite', 21], // the bird of prey: ImageNet-1k has no golden eagle
  ])('names %s "%s"', async (name, label, classIndex) => {
    const result = await classifier.classify(await decodeTestPhoto(name));
    expect(result.label).toBe(label);
    expect(result.topK).toHaveLength(5);
    expect(result.topK[0]).toMatchObject({ label, classIndex });
    expect(result.topK[0].probability).toBeGreaterThan(0.5);
  });

  it.each(['eagle.jpg', 'chelsea.png'])('classifies %s scaled to its shorter side of 256 exactly as the full image', async (name) => {
    const image = await decodeTestPhoto(name);
    const preview = await resizeShortSide(image, CLASSIFICATION_SHORT_SIDE);
    expect(Math.min(preview.width, preview.height)).toBe(256);
    expect(await classifier.classify(preview, 5)).toEqual(await classifier.classify(image, 5));
  });

  it('classifies a very long image (10000×2) without making its resized whole', async () => {
    const long = { data: new Uint8Array(10_000 * 2 * 3).fill(120), width: 10_000, height: 2, channels: 3 as const };
    await expect(classifier.classify(long, 1)).resolves.toMatchObject({ topK: [expect.objectContaining({ classIndex: expect.any(Number) })] });
  });

  it('returns all 1000 classes as a probability distribution, most likely first', async () => {
    const { topK } = await classifier.classify(await decodeTestPhoto('rocket.jpg'), 1000);
    expect(topK).toHaveLength(1000);
    expect(new Set(topK.map((p) => p.classIndex)).size).toBe(1000);
    expect(topK.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 6);
    for (let i = 1; i < topK.length; i += 1) expect(topK[i - 1].probability).toBeGreaterThanOrEqual(topK[i].probability);
  });

  it('accepts RGBA input and returns topK = 1', async () => {
    const rgba = new Uint8Array(300 * 200 * 4).fill(128);
    const result = await classifier.classify({ data: rgba, width: 300, height: 200, channels: 4 }, 1);
    expect(result.topK).toHaveLength(1);
    expect(result.label).toBe(result.topK[0].label);
  });

  it('shares one session between classifiers; closing one leaves the other working', async () => {
    const second = await ImageClassifier.load({ ...testModelOptions(), intraOpNumThreads: 2 });
    expect(second.model.session).toBe(classifier.model.session);
    await second.close();
    await expect(second.classify(await decodeTestPhoto('coffee.png'))).rejects.toMatchObject({
      code: PipelineErrorCode.MODEL_UNAVAILABLE,
    });
    expect((await classifier.classify(await decodeTestPhoto('coffee.png'))).label).toBe('espresso');
  });

  it('tells its onInference observer the time of each inference, not of the warm-up', async () => {
    const inferences: [string, number][] = [];
    const observed = await ImageClassifier.load({ ...testModelOptions(), intraOpNumThreads: 2, onInference: (model, ms) => inferences.push([model, ms]) });
    expect(inferences).toEqual([]);
    await observed.classify(await decodeTestPhoto('coffee.png'));
    await observed.close();
    expect(inferences).toEqual([['mobilenetv2-int8', expect.any(Number)]]);
    expect(inferences[0][1]).toBeGreaterThan(0);
  });

  it.each([0, 1001, 2.5, Number.NaN])('refuses topK = %s with INVALID_ARGUMENT', async (topK) => {
    const image = { data: new Uint8Array(12), width: 2, height: 2, channels: 3 as const };
    await expect(classifier.classify(image, topK)).rejects.toMatchObject({
      code: PipelineErrorCode.INVALID_ARGUMENT,
      message: expect.stringContaining('topK'),
    });
  });

  it('refuses an inconsistent raw image with INVALID_ARGUMENT', async () => {
    const image = { data: new Uint8Array(12), width: 2, height: 2, channels: 2 as unknown as 3 };
    await expect(classifier.classify(image)).rejects.toMatchObject({ code: PipelineErrorCode.INVALID_ARGUMENT });
  });
});
