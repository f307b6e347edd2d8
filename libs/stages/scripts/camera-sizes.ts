// The stage bench at camera resolutions: where a stage's time goes (decode, work, encode) on
// photo-like images of 1 to 48 MP, handed from stage to stage as the pipeline does (raw pixels).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { Image } from '@imagepipeline/contracts';
import { decodeImage, encodeCutOutPng, medianFilter, scaleMask, type ImageLimits } from '@imagepipeline/imaging';
import { makeNoisyGradient, photoSize } from '@imagepipeline/imaging/testing';
import type { ForegroundSegmenter, ImageClassifier } from '@imagepipeline/models';
import { summarize } from '@imagepipeline/reporting';
import { classifyImage, reduceNoise, removeBackground, uploadImage } from '../src/index';

/** One timed step, and the stage it belongs to; `stage` rows are the whole stage call. */
export interface CameraStep {
  stage: string;
  step: string;
  /** Median milliseconds over the rounds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface CameraSizeResult {
  megapixels: number;
  width: number;
  height: number;
  jpegBytes: number;
  /** Raw RGB pixels handed from the uploader to the noise reducer and on. */
  rawBytes: number;
  /** The background remover's stored RGBA PNG. */
  pngBytes: number;
  steps: CameraStep[];
}

export interface CameraSizeOptions {
  megapixels: number;
  rounds: number;
  segmenter: ForegroundSegmenter;
  classifier: ImageClassifier;
  limits: ImageLimits;
  kernelSize: number;
}

/** A 4:3 photo-like JPEG (gradient, Gaussian and impulse noise, quality 92) of about `megapixels`. */
async function cameraJpeg(megapixels: number): Promise<Image> {
  const { width, height } = photoSize(megapixels);
  const raw = makeNoisyGradient({ width, height, saltAndPepper: 0.01, gaussianSigma: 10, seed: megapixels });
  const data = await sharp(raw.data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  return { data, format: '', width: 0, height: 0, fileName: `camera-${megapixels}MP.jpg`, channels: 0 };
}

/** Times every step `rounds` times after one warm-up round, one image in flight. */
export async function measureCameraSize(options: CameraSizeOptions): Promise<CameraSizeResult> {
  const { rounds, segmenter, classifier, limits, kernelSize } = options;
  const jpeg = await cameraJpeg(options.megapixels);
  const samples = new Map<string, number[]>();
  const time = async <T>(stage: string, step: string, work: () => Promise<T> | T, round: number): Promise<T> => {
    const start = performance.now();
    const value = await work();
    const key = `${stage}\u0000${step}`;
    if (round > 0) samples.set(key, [...(samples.get(key) ?? []), performance.now() - start]);
    return value;
  };
  let sizes = { width: 0, height: 0, rawBytes: 0, pngBytes: 0 };
  for (let round = 0; round <= rounds; round++) {
    const decoded = await time('upload', 'JPEG decode', () => decodeImage(jpeg.data, limits), round);
    await time('upload', 'sha256 of the original', () => createHash('sha256').update(jpeg.data).digest('hex'), round);
    const uploaded = (await time('upload', 'stage', () => uploadImage({ image: jpeg, outputFormat: 'raw' }, { limits }), round)).image!;
    await time('noise_reduction', 'median filter', () => medianFilter(decoded, kernelSize), round);
    const denoised = (await time('noise_reduction', 'stage', () => reduceNoise({ image: uploaded, outputFormat: 'raw' }, { kernelSize, limits }), round)).image!;
    const pixels = { data: denoised.data, width: denoised.width, height: denoised.height, channels: 3 as const };
    const mask = await time('background_removal', 'segment (resize, U2-Net-p)', () => segmenter.segment(pixels), round);
    await time('background_removal', 'scale the mask', () => scaleMask(mask, pixels.width, pixels.height), round);
    const png = await time('background_removal', 'RGBA PNG with the mask (level 0)', () => encodeCutOutPng(pixels, mask), round);
    await time('background_removal', 'stage', () => removeBackground(denoised, { segmenter, limits }), round);
    await time('classification', 'stage', () => classifyImage(denoised, { classifier, topK: 5, limits }), round);
    sizes = { width: decoded.width, height: decoded.height, rawBytes: denoised.data.length, pngBytes: png.length };
  }
  const steps = [...samples.entries()].map(([key, values]) => {
    const [stage, step] = key.split('\u0000');
    const { median, min, max } = summarize(values);
    return { stage, step, medianMs: median, minMs: min, maxMs: max };
  });
  return { megapixels: options.megapixels, jpegBytes: jpeg.data.length, ...sizes, steps };
}
