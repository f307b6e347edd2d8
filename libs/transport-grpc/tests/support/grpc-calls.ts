import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import {
  credentials,
  loadPackageDefinition,
  makeClientConstructor,
  type ChannelCredentials,
  type ClientReadableStream,
  type ClientUnaryCall,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { PIPELINE_ERROR_CODE_KEY } from '../../src/error-status';

type Callback<Res> = (error: ServiceError | null, response: Res) => void;

/** Promisifies one unary call: `callUnary((done) => client.upload(request, done))`. */
export function callUnary<Res>(start: (done: Callback<Res>) => ClientUnaryCall): Promise<Res> {
  return new Promise((resolve, reject) => {
    start((error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** Reads a server stream to its end. */
export function collectStream<T>(stream: ClientReadableStream<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const messages: T[] = [];
    stream.on('data', (message: T) => messages.push(message));
    stream.on('error', reject);
    stream.on('end', () => resolve(messages));
  });
}

/** A failed call's gRPC status, details and pipeline-error-code trailer, for assertions. */
export async function failureOf(call: Promise<unknown>): Promise<{ code: number; details: string; pipelineCode: unknown }> {
  try {
    await call;
  } catch (error) {
    const { code, details, metadata } = error as ServiceError;
    return { code, details, pipelineCode: metadata?.get(PIPELINE_ERROR_CODE_KEY)[0] };
  }
  throw new Error('expected the call to fail');
}

const HealthClient = makeClientConstructor(healthService as never, 'grpc.health.v1.Health');

/** `grpc.health.v1.Health/Check` of `service` ('' for the whole server): SERVING, NOT_SERVING, ... */
export async function checkHealth(address: string, service = '', over: ChannelCredentials = credentials.createInsecure()): Promise<string> {
  const client = new HealthClient(address, over);
  try {
    const response = await callUnary<{ status: string }>((done) =>
      (client as unknown as { check: (r: object, cb: Callback<{ status: string }>) => ClientUnaryCall }).check({ service }, done),
    );
    return response.status;
  } finally {
    client.close();
  }
}

/** @grpc/reflection ships its .proto files beside its build output. */
const reflectionProtoRoot = resolve(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '../proto');

/** Lists a server's services through `grpc.reflection.v1.ServerReflection`, as grpcurl does. */
export async function listServicesByReflection(address: string, over: ChannelCredentials = credentials.createInsecure()): Promise<string[]> {
  const definition = loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [reflectionProtoRoot], keepCase: true });
  const v1 = ((loadPackageDefinition(definition).grpc as GrpcObject).reflection as GrpcObject).v1 as GrpcObject;
  const Client = v1.ServerReflection as ServiceClientConstructor;
  const client = new Client(address, over);
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const call = client.ServerReflectionInfo();
      call.on('data', (response: { list_services_response?: { service: { name: string }[] } }) => {
        resolve((response.list_services_response?.service ?? []).map((s) => s.name).sort());
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '' });
    });
  } finally {
    client.close();
  }
}

/** A local port that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
