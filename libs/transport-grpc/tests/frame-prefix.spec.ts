// grpc-js copies every message into a new buffer to put its 5-byte prefix in front; `patches/` makes
// it write the prefix into room our serializers leave instead. This fails when the patch no longer
// applies or no longer takes effect, on either side of a call: then port the patch or drop it.
// With our server and client options, so it also fails if either side starts compressing messages
// (a compressed message is framed by grpc-js's own copy, with the compressed flag set).
import { credentials, Server, ServerCredentials, makeGenericClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { concatAfterFramePrefix, GRPC_MESSAGE_PREFIX_BYTES } from '../src/frame-prefix';
import { grpcClientOptions, grpcServerOptions } from '../src/channel-options';
import { testServerConfig } from './support/server-config';

/** The 5 bytes before `message`, which grpc-js should have filled with its prefix. */
function prefixOf(message: Buffer): Buffer {
  return Buffer.from(message.buffer, message.byteOffset - GRPC_MESSAGE_PREFIX_BYTES, GRPC_MESSAGE_PREFIX_BYTES);
}

function expectedPrefix(length: number): Buffer {
  const prefix = Buffer.alloc(GRPC_MESSAGE_PREFIX_BYTES);
  prefix.writeUInt32BE(length, 1);
  return prefix;
}

const sent: Buffer[] = [];
/** Serializes as ours do, with the room filled with 0xff so that an untouched prefix shows. */
function recordingSerialize(value: Buffer): Buffer {
  const message = concatAfterFramePrefix([value]);
  prefixOf(message).fill(0xff);
  sent.push(message);
  return message;
}

const echoDefinition = {
  echo: {
    path: '/test.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: recordingSerialize,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: recordingSerialize,
    responseDeserialize: (bytes: Buffer) => bytes,
  },
} satisfies ServiceDefinition;

let server: Server | undefined;
afterEach(() => {
  server?.forceShutdown();
  sent.length = 0;
});

describe('grpc-js message framing (patched)', () => {
  it('writes the prefix (uncompressed) into the room the serializer left, for the request and the response', async () => {
    server = new Server(grpcServerOptions(testServerConfig()));
    server.addService(echoDefinition, { echo: (call: { request: Buffer }, done: (error: null, reply: Buffer) => void) => done(null, call.request) });
    const port = await new Promise<number>((resolve, reject) =>
      server!.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const Client = makeGenericClientConstructor(echoDefinition, 'Echo');
    const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), grpcClientOptions(1 << 20)) as unknown as {
      echo(request: Buffer, callback: (error: Error | null, reply: Buffer) => void): void;
      close(): void;
    };
    const payload = Buffer.alloc(300_000, 7);
    const reply = await new Promise<Buffer>((resolve, reject) => client.echo(payload, (error, answer) => (error ? reject(error) : resolve(answer))));
    client.close();

    expect(reply.equals(payload)).toBe(true);
    expect(sent).toHaveLength(2);
    for (const message of sent) expect(prefixOf(message)).toEqual(expectedPrefix(payload.length));
  });
});
