import { type Image } from '@imagepipeline/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundRemoverGrpcService } from '../src/stage-services';
import { GrpcStageClient } from '../src/grpc-stage-client';
import { grpcClientOptions, grpcServerOptions } from '../src/channel-options';
import { startGrpcServer, type RunningGrpcServer } from '../src/grpc-server';
import { deferred, testServerConfig } from './support/server-config';

const image: Image = { data: Buffer.from('pixels'), format: 'png', width: 2, height: 1, fileName: 'a.png', channels: 0 };
const never = new AbortController().signal;

/** A background-remover replica on its own loopback address that counts the calls it answers. */
interface Replica {
  server: RunningGrpcServer;
  calls: number;
  /** While set, calls wait for it: work in flight when a test kills the replica. */
  gate?: Promise<void>;
}

const running: RunningGrpcServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function startReplica(host: string, port = 0, shutdownGraceMs = 0): Promise<Replica> {
  const replica = { calls: 0 } as Replica;
  replica.server = await startGrpcServer({
    config: testServerConfig({ host, port, shutdownGraceMs }),
    services: [
      new BackgroundRemoverGrpcService({
        removeBackground: async (request) => {
          replica.calls += 1;
          await replica.gate;
          return { image: request.image, computeMs: 1 };
        },
      }),
    ],
  });
  running.push(replica.server);
  return replica;
}

function clientTo(backgroundRemover: string): GrpcStageClient {
  const unused = '127.0.0.1:1';
  return new GrpcStageClient({
    addresses: { uploader: unused, 'noise-reducer': unused, classifier: unused, 'background-remover': backgroundRemover },
    retries: 3,
    initialBackoffMs: 10,
  });
}

const removeBackgrounds = (client: GrpcStageClient, count: number) =>
  Promise.all(Array.from({ length: count }, () => client.removeBackground(image, never)));

describe('GrpcStageClient over several replicas', () => {
  it('balances calls over every endpoint of a listed address', async () => {
    const [a, b] = await Promise.all([startReplica('127.0.0.2'), startReplica('127.0.0.3')]);
    const client = clientTo(`${a.server.address},${b.server.address}`);
    for (let i = 0; i < 16; i += 1) await client.removeBackground(image, never);
    expect([a.calls, b.calls]).toEqual([8, 8]);
    await client.close();
  });

  it('loses no call when a replica is killed with calls in flight, and uses it again once it is back', async () => {
    const [a, b] = await Promise.all([startReplica('127.0.0.2'), startReplica('127.0.0.3')]);
    const client = clientTo(`${a.server.address},${b.server.address}`);
    await removeBackgrounds(client, 2);
    const held = deferred();
    b.gate = held.promise;
    const inFlight = removeBackgrounds(client, 8);
    await vi.waitFor(() => expect(b.calls).toBeGreaterThanOrEqual(2));
    await b.server.close(); // grace 0: its calls in flight are cancelled
    held.resolve();
    await expect(inFlight).resolves.toHaveLength(8);

    const callsOnA = a.calls;
    await removeBackgrounds(client, 4);
    expect(a.calls).toBe(callsOnA + 4);

    const revived = await startReplica('127.0.0.3', b.server.port);
    await vi.waitFor(async () => {
      await removeBackgrounds(client, 2);
      expect(revived.calls).toBeGreaterThan(0);
    });
    await client.close();
  });

  it('sends no new calls to a draining replica, which finishes the calls it has', async () => {
    const a = await startReplica('127.0.0.2');
    const b = await startReplica('127.0.0.3', 0, 60_000);
    const client = clientTo(`${a.server.address},${b.server.address}`);
    await removeBackgrounds(client, 1); // to a: the next turn is b's
    const held = deferred();
    b.gate = held.promise;
    const running = client.removeBackground(image, never);
    await vi.waitFor(() => expect(b.calls).toBe(1));
    const draining = b.server.close();
    await removeBackgrounds(client, 6);
    expect([a.calls, b.calls]).toEqual([7, 1]);
    held.resolve();
    await expect(running).resolves.toMatchObject({ computeMs: 1 });
    await draining;
    await client.close();
  });

  it('reaches a named endpoint through a dns:/// target (localhost resolves to one address here)', async () => {
    const a = await startReplica('127.0.0.1');
    const client = clientTo(`localhost:${a.server.port}`);
    await removeBackgrounds(client, 2);
    expect(a.calls).toBe(2);
    await client.close();
  });

  it('asks grpc-js for round_robin balancing, ignoring service configs from DNS', () => {
    const options = grpcClientOptions(1024);
    expect(JSON.parse(String(options['grpc.service_config']))).toEqual({ loadBalancingConfig: [{ round_robin: {} }] });
    expect(options['grpc.service_config_disable_resolution']).toBe(1);
  });

  it('makes servers close old connections, so clients re-resolve and find new replicas', () => {
    const options = grpcServerOptions(testServerConfig());
    expect(options['grpc.max_connection_age_ms']).toBeGreaterThan(0);
    expect(options['grpc.max_connection_age_grace_ms']).toBeGreaterThan(Number(options['grpc.max_connection_age_ms']));
  });
});
