// What a gRPC server allows one connection: as many streams as admission takes (plus a few), and
// no idle connection kept beyond the idle timeout.
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassifierGrpcService } from '../src/stage-services';
import { grpcServerOptions } from '../src/channel-options';
import { startGrpcServer, type RunningGrpcServer } from '../src/grpc-server';
import { testServerConfig } from './support/server-config';

let server: RunningGrpcServer | undefined;
let session: http2.ClientHttp2Session | undefined;
afterEach(async () => {
  session?.destroy();
  await server?.close();
});

const config = testServerConfig({ maxConcurrent: 2, maxQueued: 3, connections: { ...testServerConfig().connections, idleTimeoutMs: 300 } });

describe('a gRPC server’s connection limits', () => {
  it('advertises a stream limit of the calls admission takes plus a few, and bounds session memory', async () => {
    expect(grpcServerOptions(config)['grpc-node.max_session_memory']).toBe(Math.ceil((3 * (config.maxRequestBytes + config.maxResponseBytes)) / 2 ** 20));
    server = await startGrpcServer({ config, services: [new ClassifierGrpcService({ classify: async () => ({ label: '', topK: [], computeMs: 0 }) })] });
    session = http2.connect(`http://${server.address}`);
    const connected = session;
    const settings = await new Promise<http2.Settings>((resolve) => connected.once('remoteSettings', resolve));
    expect(settings.maxConcurrentStreams).toBe(2 + 3 + 8);
  });

  it('closes a connection without calls after the idle timeout', async () => {
    server = await startGrpcServer({ config, services: [new ClassifierGrpcService({ classify: async () => ({ label: '', topK: [], computeMs: 0 }) })] });
    session = http2.connect(`http://${server.address}`);
    const opened = Date.now();
    const goaway = new Promise((resolve) => session!.once('goaway', resolve));
    await goaway;
    expect(Date.now() - opened).toBeGreaterThanOrEqual(250);
    expect(Date.now() - opened).toBeLessThan(3_000);
  });
});
