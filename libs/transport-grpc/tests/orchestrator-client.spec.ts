import { Metadata, Server, ServerCredentials, status, type ServerWritableStream } from '@grpc/grpc-js';
import { OrchestratorServiceService, PipelineErrorCode, type Image, type ProcessEvent, type ProcessRequest } from '@imagepipeline/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcOrchestratorClient } from '../src/grpc-orchestrator-client';
import { PIPELINE_ERROR_CODE_KEY } from '../src/error-status';
import { closedPort } from './support/grpc-calls';

type Answer = (call: ServerWritableStream<ProcessRequest, ProcessEvent>) => void;

/** A stand-in orchestrator whose ProcessStream answers as `answer` says; counts the calls it took. */
async function fakeOrchestrator(port: number, answer: Answer, options: Record<string, number> = {}) {
  const server = new Server(options);
  let calls = 0;
  server.addService(OrchestratorServiceService, {
    process: () => undefined,
    processStream: (call: ServerWritableStream<ProcessRequest, ProcessEvent>) => {
      calls += 1;
      answer(call);
    },
  });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
  return { port, calls: () => calls, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

const answerResult: Answer = (call) => {
  call.write({ event: { $case: 'result', value: { fileName: call.request.image?.fileName ?? '', label: 'ok', topK: [], timeline: [], receivedAtMs: 0, totalMs: 1, uploadId: '', processedImage: undefined, uploadedImage: undefined, denoisedImage: undefined } } });
  call.end();
};

/** Larger than grpc-js's retry buffer, so grpc-js would not retry a refused stream by itself. */
const image: Image = { data: Buffer.alloc(2 << 20, 7), format: 'png', width: 1, height: 1, fileName: 'a.png', channels: 0 };

describe('GrpcOrchestratorClient', () => {
  const toClose: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of toClose.splice(0)) await item.close();
  });

  it('sends again when the orchestrator was not reachable yet', async () => {
    const port = await closedPort();
    const client = new GrpcOrchestratorClient(`127.0.0.1:${port}`);
    toClose.push(client);
    const started = new Promise((resolve) => setTimeout(resolve, 100)).then(() => fakeOrchestrator(port, answerResult));
    const result = await client.process(image, { topK: 1, includeIntermediates: false });
    toClose.push(await started);
    expect(result.label).toBe('ok');
  });

  it('gets every answer while the server closes each connection at its maximum age', async () => {
    const port = await closedPort();
    const server = await fakeOrchestrator(port, answerResult, { 'grpc.max_connection_age_ms': 200, 'grpc.max_connection_age_grace_ms': 5_000 });
    toClose.push(server);
    const client = new GrpcOrchestratorClient(`127.0.0.1:${port}`);
    toClose.push(client);
    for (let i = 0; i < 40; i++) {
      expect((await client.process(image, { topK: 1, includeIntermediates: false })).label).toBe('ok');
    }
    expect(server.calls()).toBeGreaterThanOrEqual(40);
  });

  it('does not send again what the orchestrator took: an event came, or it answered with a pipeline code', async () => {
    const metadata = new Metadata();
    metadata.set(PIPELINE_ERROR_CODE_KEY, PipelineErrorCode.STAGE_UNAVAILABLE);
    const coded = await fakeOrchestrator(await closedPort(), (call) => call.emit('error', { code: status.UNAVAILABLE, details: 'noise_reduction failed', metadata }));
    const midway = await fakeOrchestrator(await closedPort(), (call) => {
      call.write({ event: { $case: 'stageDone', value: { stage: 'upload', enqueuedAtMs: 0, startedAtMs: 0, endedAtMs: 1, observedMs: 1, computeMs: 1 } } });
      call.emit('error', { code: status.UNAVAILABLE, details: 'gone' });
    });
    toClose.push(coded, midway);
    for (const server of [coded, midway]) {
      const client = new GrpcOrchestratorClient(`127.0.0.1:${server.port}`);
      toClose.push(client);
      await expect(client.process(image, { topK: 1, includeIntermediates: false })).rejects.toMatchObject({ code: PipelineErrorCode.STAGE_UNAVAILABLE });
      expect(server.calls()).toBe(1);
    }
  });
});
