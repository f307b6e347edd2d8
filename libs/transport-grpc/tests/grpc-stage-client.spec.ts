import { PipelineError, type Image } from '@imagepipeline/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundRemoverGrpcService, ClassifierGrpcService, NoiseReducerGrpcService, UploaderGrpcService } from '../src/stage-services';
import { GrpcStageClient } from '../src/grpc-stage-client';
import { startGrpcServer, type RunningGrpcServer } from '../src/grpc-server';
import { closedPort } from './support/grpc-calls';
import { capturedLogger } from '@imagepipeline/serving/testing';
import { deferred, testServerConfig } from './support/server-config';

const image: Image = { data: Buffer.from('pixels'), format: 'png', width: 2, height: 1, fileName: 'a.png', channels: 0 };
const never = new AbortController().signal;

/** What the fake stages do on the next calls: answer, or fail, or wait for a gate. */
let behaviour: { uploadFailures: PipelineError[]; gate?: Promise<void> };
let uploadCalls = 0;
let lastUploadSignal: AbortSignal | undefined;
let server: RunningGrpcServer;
const { lines, logger } = capturedLogger();

beforeAll(async () => {
  server = await startGrpcServer({
    config: testServerConfig(),
    logger,
    services: [
      new UploaderGrpcService({
        upload: async (request, signal) => {
          uploadCalls += 1;
          lastUploadSignal = signal;
          await behaviour.gate;
          const failure = behaviour.uploadFailures.shift();
          if (failure) throw failure;
          return { image: request.image, uploadId: 'sha', computeMs: 1 };
        },
      }),
      new NoiseReducerGrpcService({ reduceNoise: async (request) => ({ image: request.image, computeMs: request.kernelSize }) }),
      new BackgroundRemoverGrpcService({ removeBackground: async (request) => ({ image: request.image, computeMs: 3 }) }),
      new ClassifierGrpcService({ classify: async (request) => ({ label: `top${request.topK}`, topK: [], computeMs: 4 }) }),
    ],
  });
});
afterAll(() => server.close());
beforeEach(() => {
  behaviour = { uploadFailures: [] };
  uploadCalls = 0;
  lines.length = 0;
});

function clientTo(address: string, options: Partial<ConstructorParameters<typeof GrpcStageClient>[0]> = {}) {
  return new GrpcStageClient({
    addresses: { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address },
    initialBackoffMs: 10,
    ...options,
  });
}

describe('GrpcStageClient', () => {
  it('calls all four stages and refuses calls once closed', async () => {
    const client = clientTo(server.address);
    await expect(client.upload(image, never)).resolves.toMatchObject({ uploadId: 'sha', image: { fileName: 'a.png', width: 2 } });
    await expect(client.reduceNoise(image, never)).resolves.toMatchObject({ computeMs: 0 });
    await expect(client.removeBackground(image, never)).resolves.toMatchObject({ computeMs: 3 });
    await expect(client.classify(image, 3, never)).resolves.toMatchObject({ label: 'top3' });
    await client.close();
    await expect(client.upload(image, never)).rejects.toMatchObject({ code: 'STAGE_UNAVAILABLE' });
  });

  it('retries a stage that answers UNAVAILABLE, with bounded attempts', async () => {
    const loading = () => new PipelineError('MODEL_UNAVAILABLE', 'model is still loading');
    const client = clientTo(server.address, { retries: 2 });
    behaviour.uploadFailures = [loading(), loading()];
    await expect(client.upload(image, never)).resolves.toMatchObject({ uploadId: 'sha' });
    expect(uploadCalls).toBe(3);

    uploadCalls = 0;
    behaviour.uploadFailures = [loading(), loading(), loading()];
    const failure = client.upload(image, never);
    await expect(failure).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    await expect(failure).rejects.toThrow(`uploader at ${server.address} (3 attempts): model is still loading`);
    expect(uploadCalls).toBe(3);
    await client.close();
  });

  it('passes any other failure on at once with its exact pipeline code', async () => {
    const client = clientTo(server.address);
    behaviour.uploadFailures = [new PipelineError('IMAGE_UNREADABLE', 'not an image')];
    const failure = client.upload(image, never);
    await expect(failure).rejects.toBeInstanceOf(PipelineError);
    await expect(failure).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE', message: `uploader at ${server.address}: not an image` });
    expect(uploadCalls).toBe(1);
    await client.close();
  });

  it('answers STAGE_UNAVAILABLE naming the address when nothing listens there', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const client = clientTo(address, { retries: 1 });
    const failure = client.removeBackground(image, never);
    await expect(failure).rejects.toMatchObject({ code: 'STAGE_UNAVAILABLE' });
    await expect(failure).rejects.toThrow(`background-remover at ${address} (2 attempts)`);
    await client.close();
  });

  it('cancels the call when the signal aborts, rejecting with its reason', async () => {
    const gate = deferred();
    behaviour.gate = gate.promise;
    const client = clientTo(server.address);
    const controller = new AbortController();
    const call = client.upload(image, controller.signal);
    await expect.poll(() => uploadCalls).toBe(1);
    const reason = new PipelineError('DEADLINE_EXCEEDED', 'upload deadline of 10 ms passed');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the cancellation crosses the connection
    gate.resolve();
    await expect.poll(() => lines.find((line) => line.method === 'Upload')?.status).toBe('CANCELLED');
    await client.close();
  });

  it('checks its options', () => {
    expect(() => clientTo(server.address, { retries: -1, callTimeoutMs: { classifier: 0 } })).toThrow(
      'invalid GrpcStageClient options: retries: expected a non-negative integer, got -1; callTimeoutMs.classifier: expected a positive integer, got 0',
    );
  });

  it('sets a deadline on every call, and the deadline reaches the stage’s work (its signal aborts)', async () => {
    behaviour.gate = deferred().promise;
    const client = clientTo(server.address, { callTimeoutMs: { uploader: 100 } });
    await expect(client.upload(image, never)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await expect.poll(() => lastUploadSignal?.aborted).toBe(true);
    await client.close();
  });
});
