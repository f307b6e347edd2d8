import { createHash } from 'node:crypto';
import { credentials, status } from '@grpc/grpc-js';
import {
  BackgroundRemoverServiceClient,
  ClassifierServiceClient,
  NoiseReducerServiceClient,
  UploaderServiceClient,
  type ClassifyResponse,
  type Image,
  type ReduceNoiseResponse,
  type RemoveBackgroundResponse,
  type UploadResponse,
} from '@imagepipeline/contracts';
import { stageMessageLimits } from '@imagepipeline/config';
import { testPhotoImage } from '@imagepipeline/imaging/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUnary, checkHealth, failureOf, listServicesByReflection } from './support/grpc-calls';
import { pngHeader, startRealStageServers, type RealStageServers } from './support/real-stages';

/** Small image limits, so the stages' message limit that follows from them is small too. */
const LIMITS = { maxBytes: 4 * 1024 * 1024, maxPixels: 2_000_000 };
const MAX_MESSAGE_BYTES = stageMessageLimits(LIMITS).maxRequestBytes;

describe('stage services over gRPC (real runtimes and models)', () => {
  let stages: RealStageServers;
  let uploader: UploaderServiceClient;
  let noiseReducer: NoiseReducerServiceClient;
  let backgroundRemover: BackgroundRemoverServiceClient;
  let classifier: ClassifierServiceClient;
  let rocket: Image;
  let coffee: Image;

  beforeAll(async () => {
    stages = await startRealStageServers({
      PIPELINE_MAX_IMAGE_BYTES: String(LIMITS.maxBytes),
      PIPELINE_MAX_PIXELS: String(LIMITS.maxPixels),
    });
    const insecure = credentials.createInsecure();
    const options = { 'grpc.max_send_message_length': 2 * MAX_MESSAGE_BYTES };
    uploader = new UploaderServiceClient(stages.addresses.uploader, insecure, options);
    noiseReducer = new NoiseReducerServiceClient(stages.addresses['noise-reducer'], insecure);
    backgroundRemover = new BackgroundRemoverServiceClient(stages.addresses['background-remover'], insecure);
    classifier = new ClassifierServiceClient(stages.addresses.classifier, insecure);
    [rocket, coffee] = await Promise.all([testPhotoImage('rocket.jpg'), testPhotoImage('coffee.png')]);
  });
  afterAll(async () => {
    for (const client of [uploader, noiseReducer, backgroundRemover, classifier]) client?.close();
    await stages?.close();
  });

  const upload = (image: Partial<Image>, outputFormat = '') =>
    callUnary<UploadResponse>((done) => uploader.upload({ image: { ...rocket, ...image }, outputFormat }, done));

  it('uploads: a PNG of the photo and its sha256 as upload id', async () => {
    const response = await upload(rocket);
    expect(response.uploadId).toBe(createHash('sha256').update(rocket.data).digest('hex'));
    expect(response.image).toMatchObject({ format: 'png', fileName: 'rocket.jpg' });
    const header = pngHeader(response.image!.data);
    expect([header.width, header.height]).toEqual([response.image!.width, response.image!.height]);
    expect(response.computeMs).toBeGreaterThan(0);
  });

  it('hands raw pixels on between stages, then removes the background: an RGBA PNG at the input size', async () => {
    const uploaded = (await upload(rocket, 'raw')).image!;
    expect(uploaded).toMatchObject({ format: 'raw', width: 640, height: 427, channels: 3 });
    const denoised = await callUnary<ReduceNoiseResponse>((done) =>
      noiseReducer.reduceNoise({ image: uploaded, kernelSize: 0, outputFormat: 'raw' }, done),
    );
    expect(denoised.image).toMatchObject({ format: 'raw', width: uploaded.width, height: uploaded.height, channels: 3 });
    const removed = await callUnary<RemoveBackgroundResponse>((done) => backgroundRemover.removeBackground({ image: denoised.image }, done));
    expect(removed.image).toMatchObject({ format: 'png', width: uploaded.width, height: uploaded.height });
    expect(pngHeader(removed.image!.data)).toEqual({ width: uploaded.width, height: uploaded.height, colorType: 6 });
  });

  it('classifies the coffee photo as an espresso', async () => {
    const response = await callUnary<ClassifyResponse>((done) => classifier.classify({ image: coffee, topK: 3 }, done));
    expect(response.label).toBe('espresso');
    expect(response.topK).toHaveLength(3);
    expect(response.topK[0]).toMatchObject({ label: 'espresso', classIndex: 967 });
  });

  it('reports SERVING once its model is ready, and lists its service through reflection', async () => {
    expect(await checkHealth(stages.addresses.classifier)).toBe('SERVING');
    expect(await checkHealth(stages.addresses['background-remover'], 'imagepipeline.v1.BackgroundRemoverService')).toBe('SERVING');
    expect(await listServicesByReflection(stages.addresses.classifier)).toEqual([
      'grpc.health.v1.Health',
      'imagepipeline.v1.ClassifierService',
    ]);
  });

  it('answers garbage bytes with INVALID_ARGUMENT and a message', async () => {
    const failure = await failureOf(upload({ data: Buffer.from('definitely not an image'), fileName: 'x.jpg' }));
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT, pipelineCode: 'IMAGE_UNREADABLE' });
    expect(failure.details.length).toBeGreaterThan(10);
  });

  it('answers an empty image with INVALID_ARGUMENT', async () => {
    expect(await failureOf(upload({ data: Buffer.alloc(0), fileName: 'empty.jpg' }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      pipelineCode: 'IMAGE_EMPTY',
    });
    expect(await failureOf(callUnary((done) => classifier.classify({ image: undefined, topK: 1 }, done)))).toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });

  it('answers a message over the limit that follows from the image limits with RESOURCE_EXHAUSTED', async () => {
    const failure = await failureOf(upload({ data: Buffer.alloc(MAX_MESSAGE_BYTES + 1024), fileName: 'huge.jpg' }));
    expect(failure.code).toBe(status.RESOURCE_EXHAUSTED);
  });
});
