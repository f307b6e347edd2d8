// grpc-js servers ignore `grpc-node.flow_control_window` until grpc/grpc-node#3058 is released;
// `patches/` backports it. This fails when the patch no longer applies or no longer takes effect:
// then drop the patch if grpc-js does it itself, or port it.
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassifierGrpcService } from '../src/stage-services';
import { grpcServerOptions } from '../src/channel-options';
import { startGrpcServer, type RunningGrpcServer } from '../src/grpc-server';
import { testServerConfig } from './support/server-config';

const WINDOW = Number(grpcServerOptions(testServerConfig())['grpc-node.flow_control_window']);

let server: RunningGrpcServer | undefined;
let session: http2.ClientHttp2Session | undefined;
afterEach(async () => {
  session?.close();
  await server?.close();
});

describe('a gRPC server’s HTTP/2 receive window', () => {
  it('is the configured 1 MiB, per stream (SETTINGS) and per connection (WINDOW_UPDATE)', async () => {
    expect(WINDOW).toBe(1024 * 1024);
    server = await startGrpcServer({
      config: testServerConfig(),
      services: [new ClassifierGrpcService({ classify: async () => ({ label: '', topK: [], computeMs: 0 }) })],
    });
    session = http2.connect(`http://${server.address}`);
    const connected = session;
    const settings = await new Promise<http2.Settings>((resolve) => connected.once('remoteSettings', resolve));
    expect(settings.initialWindowSize).toBe(WINDOW);
    await expect.poll(() => connected.state.remoteWindowSize).toBeGreaterThanOrEqual(WINDOW);
  });
});
