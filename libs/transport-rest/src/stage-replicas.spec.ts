import type { Image } from '@imagepipeline/contracts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RestStageClient } from './rest-stage-client';
import { StageReplicas, type StageReplicasOptions } from './stage-replicas';

const image: Image = { data: Buffer.from('png bytes'), format: 'png', width: 3, height: 2, fileName: 'a.png', channels: 0 };
const never = new AbortController().signal;

/** A background-remover replica on its own loopback address that counts the calls it answers. */
interface Replica {
  server: Server;
  port: number;
  calls: number;
  /** While set, answers wait for it: work in flight when a test kills the replica. */
  gate?: Promise<void>;
}

const running: Server[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startReplica(host: string, port = 0): Promise<Replica> {
  const replica = { calls: 0 } as Replica;
  replica.server = createServer((request, response) => {
    replica.calls += 1;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      await replica.gate;
      response.writeHead(200, { 'content-type': 'image/png', 'x-compute-ms': '1' }).end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => replica.server.listen(port, host, resolve));
  replica.port = (replica.server.address() as AddressInfo).port;
  running.push(replica.server);
  return replica;
}

function kill(replica: Replica): Promise<unknown> {
  const closed = new Promise((resolve) => replica.server.close(resolve));
  replica.server.closeAllConnections();
  return closed;
}

function clientTo(backgroundRemover: string, replicas: StageReplicasOptions = {}): RestStageClient {
  const unused = '127.0.0.1:1';
  return new RestStageClient({
    addresses: { uploader: unused, 'noise-reducer': unused, classifier: unused, 'background-remover': backgroundRemover },
    retries: 3,
    initialBackoffMs: 5,
    replicas,
  });
}

const removeBackgrounds = (client: RestStageClient, count: number) =>
  Promise.all(Array.from({ length: count }, () => client.removeBackground(image, never)));

/** A name, as DNS would answer it for a headless Service with two pods, without touching /etc/hosts. */
const bgrResolvesToBoth = { resolveHost: async (host: string) => (host === 'bgr' ? ['127.0.0.2', '127.0.0.3'] : [host]) };

describe('RestStageClient over several replicas', () => {
  it('balances calls over every address a name resolves to', async () => {
    const a = await startReplica('127.0.0.2');
    const b = await startReplica('127.0.0.3', a.port);
    const client = clientTo(`bgr:${a.port}`, bgrResolvesToBoth);
    for (let i = 0; i < 16; i += 1) await client.removeBackground(image, never);
    expect([a.calls, b.calls]).toEqual([8, 8]);
  });

  it('balances calls over every endpoint of a listed address', async () => {
    const [a, b] = await Promise.all([startReplica('127.0.0.2'), startReplica('127.0.0.3')]);
    const client = clientTo(`127.0.0.2:${a.port},127.0.0.3:${b.port}`);
    for (let i = 0; i < 16; i += 1) await client.removeBackground(image, never);
    expect([a.calls, b.calls]).toEqual([8, 8]);
  });

  it('loses no call when a replica is killed with calls in flight, passes over it, and uses it again once it is back', async () => {
    const a = await startReplica('127.0.0.2');
    const b = await startReplica('127.0.0.3', a.port);
    const client = clientTo(`bgr:${a.port}`, { ...bgrResolvesToBoth, downForMs: 50 });
    let release!: () => void;
    b.gate = new Promise((resolve) => (release = resolve));
    const inFlight = removeBackgrounds(client, 8);
    await vi.waitFor(() => expect(b.calls).toBe(4));
    await kill(b);
    release();
    await expect(inFlight).resolves.toHaveLength(8);
    expect(a.calls).toBe(8);

    const revived = await startReplica('127.0.0.3', a.port);
    await vi.waitFor(async () => {
      await removeBackgrounds(client, 2);
      expect(revived.calls).toBeGreaterThan(0);
    });
  });
});

describe('StageReplicas', () => {
  it('looks names up again, so replicas added behind a name get calls', async () => {
    let addresses = ['127.0.0.2'];
    const replicas = new StageReplicas('bgr:50062', { resolveHost: async () => addresses, refreshMs: 0 });
    expect(await replicas.pick()).toBe('http://127.0.0.2:50062');
    addresses = ['127.0.0.2', '127.0.0.3'];
    expect(new Set([await replicas.pick(), await replicas.pick()])).toEqual(new Set(['http://127.0.0.2:50062', 'http://127.0.0.3:50062']));
  });

  it('keeps the addresses it knew when a lookup fails, and brackets IPv6 addresses', async () => {
    let fail = false;
    const resolveHost = async () => {
      if (fail) throw new Error('EAI_AGAIN');
      return ['fd00::2'];
    };
    const replicas = new StageReplicas('bgr:50062', { resolveHost, refreshMs: 0 });
    expect(await replicas.pick()).toBe('http://[fd00::2]:50062');
    fail = true;
    expect(await replicas.pick()).toBe('http://[fd00::2]:50062');
  });

  it('passes over a replica marked down', async () => {
    const replicas = new StageReplicas('10.0.0.2:1,10.0.0.3:1', { downForMs: 60_000 });
    replicas.markDown('http://10.0.0.2:1');
    expect([await replicas.pick(), await replicas.pick()]).toEqual(['http://10.0.0.3:1', 'http://10.0.0.3:1']);
  });
});
