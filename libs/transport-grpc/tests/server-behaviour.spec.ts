import { credentials, status } from '@grpc/grpc-js';
import {
  ClassifierServiceClient,
  OrchestratorServiceClient,
  PipelineError,
  type ClassifyRequest,
  type ClassifyResponse,
  type ProcessEvent,
  type ProcessResult,
  type StageSpan,
} from '@imagepipeline/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassifierGrpcService } from '../src/stage-services';
import { OrchestratorGrpcService, type ImageProcessor } from '../src/orchestrator-service';
import { startGrpcServer, type RunningGrpcServer } from '../src/grpc-server';
import { callUnary, checkHealth, collectStream, failureOf, listServicesByReflection } from './support/grpc-calls';
import { capturedLogger } from '@imagepipeline/serving/testing';
import { deferred, testServerConfig } from './support/server-config';

const image = { data: Buffer.from('pixels'), format: 'png', width: 1, height: 1, fileName: 'a.png', channels: 0 };
const answer: ClassifyResponse = { label: 'golden retriever', topK: [], computeMs: 1 };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(options: Parameters<typeof startGrpcServer>[0]): Promise<RunningGrpcServer> {
  const server = await startGrpcServer(options);
  cleanups.push(() => server.close());
  return server;
}

function classifierClient(server: RunningGrpcServer): ClassifierServiceClient {
  const client = new ClassifierServiceClient(server.address, credentials.createInsecure());
  cleanups.push(() => client.close());
  return client;
}

function classify(client: ClassifierServiceClient, request: Partial<ClassifyRequest> = {}) {
  return callUnary<ClassifyResponse>((done) => client.classify({ image, topK: 1, ...request }, done));
}

describe('startGrpcServer', () => {
  it('reports NOT_SERVING while the runtime loads and SERVING once it is ready', async () => {
    const loaded = deferred();
    const server = await serve({
      config: testServerConfig(),
      services: [new ClassifierGrpcService({ classify: async () => answer })],
      ready: loaded.promise,
    });
    expect(await checkHealth(server.address)).toBe('NOT_SERVING');
    loaded.resolve();
    await loaded.promise;
    expect(await checkHealth(server.address)).toBe('SERVING');
    expect(await checkHealth(server.address, 'imagepipeline.v1.ClassifierService')).toBe('SERVING');
  });

  it('lists its services through reflection', async () => {
    const server = await serve({ config: testServerConfig(), services: [new ClassifierGrpcService({ classify: async () => answer })] });
    expect(await listServicesByReflection(server.address)).toEqual(['grpc.health.v1.Health', 'imagepipeline.v1.ClassifierService']);
  });

  it('maps errors to status codes with the pipeline code in a trailer, and logs one line per call', async () => {
    const { lines, logger } = capturedLogger();
    const server = await serve({
      config: testServerConfig(),
      logger,
      services: [
        new ClassifierGrpcService({
          classify: async (request) => {
            if (request.topK === 1) throw new PipelineError('IMAGE_UNREADABLE', 'not an image: 6 bytes');
            if (request.topK === 2) throw new TypeError('a bug');
            return answer;
          },
        }),
      ],
    });
    const client = classifierClient(server);
    expect(await failureOf(classify(client, { topK: 1 }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'not an image: 6 bytes',
      pipelineCode: 'IMAGE_UNREADABLE',
    });
    expect(await failureOf(classify(client, { topK: 2 }))).toMatchObject({ code: status.INTERNAL, details: 'a bug' });
    await expect(classify(client, { topK: 3 })).resolves.toMatchObject({ label: 'golden retriever' });
    expect(lines.map(({ method, status, level }) => ({ method, status, level }))).toEqual([
      { method: 'Classify', status: 'INVALID_ARGUMENT', level: 40 },
      { method: 'Classify', status: 'INTERNAL', level: 50 },
      { method: 'Classify', status: 'OK', level: 30 },
    ]);
    expect(lines[2].ms).toEqual(expect.any(Number));
  });

  it('refuses a call at once with RESOURCE_EXHAUSTED when maxConcurrent run and maxQueued wait', async () => {
    const gate = deferred();
    let started = 0;
    const server = await serve({
      config: testServerConfig({ maxConcurrent: 1, maxQueued: 1 }),
      services: [new ClassifierGrpcService({ classify: async () => (started++, await gate.promise, answer) })],
    });
    const client = classifierClient(server);
    const running = classify(client);
    await expect.poll(() => started).toBe(1);
    const waiting = classify(client);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the second call reach the queue
    expect(await failureOf(classify(client))).toMatchObject({ code: status.RESOURCE_EXHAUSTED, pipelineCode: 'QUEUE_FULL' });
    gate.resolve();
    await expect(Promise.all([running, waiting])).resolves.toHaveLength(2);
  });

  it('refuses a message over maxRequestBytes with RESOURCE_EXHAUSTED', async () => {
    const server = await serve({
      config: testServerConfig({ maxRequestBytes: 4096 }),
      services: [new ClassifierGrpcService({ classify: async () => answer })],
    });
    const big = { ...image, data: Buffer.alloc(8192) };
    expect(await failureOf(classify(classifierClient(server), { image: big }))).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
  });

  it('drains an in-flight call on close, refusing new ones, then closes its resources', async () => {
    const gate = deferred();
    let started = false;
    let runtimeClosed = false;
    const server = await startGrpcServer({
      config: testServerConfig(),
      services: [new ClassifierGrpcService({ classify: async () => ((started = true), await gate.promise, answer) })],
      resources: [{ close: async () => void (runtimeClosed = true) }],
    });
    const client = classifierClient(server);
    const inFlight = classify(client);
    await expect.poll(() => started).toBe(true);
    const closed = server.close();
    expect(server.close()).toBe(closed);
    const other = new ClassifierServiceClient(server.address, credentials.createInsecure());
    expect((await failureOf(classify(other))).code).toBe(status.UNAVAILABLE);
    other.close();
    expect(runtimeClosed).toBe(false);
    gate.resolve();
    await expect(inFlight).resolves.toMatchObject({ label: 'golden retriever' });
    await closed;
    expect(runtimeClosed).toBe(true);
  });

  it('cancels what still runs after shutdownGraceMs, aborting its work', async () => {
    const aborted = deferred<unknown>();
    const processor: ImageProcessor = {
      process: (_request, { signal } = {}) =>
        new Promise<ProcessResult>((_resolve, reject) => {
          signal?.addEventListener('abort', () => {
            aborted.resolve(signal.reason);
            reject(signal.reason);
          });
        }),
    };
    const server = await startGrpcServer({ config: testServerConfig({ shutdownGraceMs: 100 }), services: [new OrchestratorGrpcService(processor)] });
    const client = new OrchestratorServiceClient(server.address, credentials.createInsecure());
    cleanups.push(() => client.close());
    const stuck = failureOf(callUnary((done) => client.process({ image, topK: 1, includeIntermediates: false }, done)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await aborted.promise).toBeInstanceOf(PipelineError);
    expect((await stuck).code).toBeOneOf([status.CANCELLED, status.UNAVAILABLE]);
  });
});

describe('OrchestratorGrpcService', () => {
  const span = (stage: string): StageSpan => ({ stage, enqueuedAtMs: 1, startedAtMs: 2, endedAtMs: 3, observedMs: 1, computeMs: 1 });
  const result: ProcessResult = {
    fileName: 'a.png',
    processedImage: image,
    label: 'golden retriever',
    topK: [],
    timeline: [span('upload'), span('noise_reduction')],
    receivedAtMs: 0,
    totalMs: 3,
    uploadId: 'id',
    uploadedImage: undefined,
    denoisedImage: undefined,
  };

  async function orchestratorClient(processor: ImageProcessor) {
    const server = await serve({ config: testServerConfig(), services: [new OrchestratorGrpcService(processor)] });
    const client = new OrchestratorServiceClient(server.address, credentials.createInsecure());
    cleanups.push(() => client.close());
    return client;
  }

  it('streams a stageDone event per finished stage, then the result, then ends', async () => {
    const client = await orchestratorClient({
      process: async (_request, { onStageDone } = {}) => {
        onStageDone?.(span('upload'));
        await new Promise((resolve) => setTimeout(resolve, 10));
        onStageDone?.(span('noise_reduction'));
        return result;
      },
    });
    const events: ProcessEvent[] = await collectStream(client.processStream({ image, topK: 1, includeIntermediates: false }));
    expect(events.map((e) => e.event?.$case)).toEqual(['stageDone', 'stageDone', 'result']);
    expect(events[1].event).toEqual({ $case: 'stageDone', value: span('noise_reduction') });
    expect(events[2].event).toMatchObject({ $case: 'result', value: { label: 'golden retriever', fileName: 'a.png' } });
  });

  it('ends a stream with the error status when the image fails', async () => {
    const client = await orchestratorClient({
      process: async (_request, { onStageDone } = {}) => {
        onStageDone?.(span('upload'));
        throw new PipelineError('STAGE_UNAVAILABLE', 'background_removal: unreachable');
      },
    });
    const failure = await failureOf(collectStream(client.processStream({ image, topK: 1, includeIntermediates: false })));
    expect(failure).toEqual({ code: status.UNAVAILABLE, details: 'background_removal: unreachable', pipelineCode: 'STAGE_UNAVAILABLE' });
  });

  it('aborts the image’s work when the client cancels the stream', async () => {
    const aborted = deferred<unknown>();
    const client = await orchestratorClient({
      process: (_request, { signal, onStageDone } = {}) =>
        new Promise<ProcessResult>((_resolve, reject) => {
          onStageDone?.(span('upload'));
          signal?.addEventListener('abort', () => {
            aborted.resolve(signal.reason);
            reject(signal.reason);
          });
        }),
    });
    const stream = client.processStream({ image, topK: 1, includeIntermediates: false });
    stream.on('error', () => undefined);
    await new Promise((resolve) => stream.once('data', resolve));
    stream.cancel();
    expect(await aborted.promise).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });
});
