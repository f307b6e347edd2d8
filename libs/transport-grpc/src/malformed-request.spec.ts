import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassifierServiceService } from '@imagepipeline/contracts';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server';
import { PIPELINE_ERROR_CODE_KEY } from './error-status';
import { ClassifierGrpcService } from './stage-services';
import { testServerConfig } from '../tests/support/server-config';

describe('a request whose bytes are not the message', () => {
  let server: RunningGrpcServer;
  let called = false;

  beforeAll(async () => {
    const runtime = {
      classify: async () => {
        called = true;
        return { label: 'x', topK: [], computeMs: 0 };
      },
    };
    server = await startGrpcServer({
      config: testServerConfig({ maxRequestBytes: 1024 * 1024, maxResponseBytes: 1024 * 1024, maxConcurrent: 1, maxQueued: 1, shutdownGraceMs: 100 }),
      services: [new ClassifierGrpcService(runtime)],
    });
  });

  afterAll(() => server?.close());

  it('is answered INVALID_ARGUMENT, not INTERNAL, without reaching the handler', async () => {
    const client = new Client(server.address, credentials.createInsecure());
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0xff, 0x01, 0x02]);
    const error = await new Promise<ServiceError>((resolve, reject) => {
      client.makeUnaryRequest(
        ClassifierServiceService.classify.path,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        garbage,
        new Metadata(),
        { deadline: Date.now() + 5000 },
        (err) => (err ? resolve(err) : reject(new Error('the call succeeded'))),
      );
    });
    client.close();
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/Classify: the request is not a valid protobuf message/);
    expect(error.metadata.get(PIPELINE_ERROR_CODE_KEY)).toEqual(['INVALID_ARGUMENT']);
    expect(called).toBe(false);
  });
});
