/** Helpers for this lib's tests: configs, fake runtimes, multipart bodies, a port nobody listens on. */
import { DEFAULT_CONNECTION_LIMITS, loadStageServiceConfig, type ServerConfig, type ServiceName, type StageServiceConfig, type StageServiceName } from '@imagepipeline/config';
import type { ReduceNoiseRequest, ReduceNoiseResponse } from '@imagepipeline/contracts';
import { testModelEnv } from '@imagepipeline/models/testing';
import type { NoiseReducerRuntime } from '@imagepipeline/stages';
import { createServer } from 'node:net';

/** A quiet server on a free loopback port. */
export function testServerConfig(service: ServiceName, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    protocol: 'rest',
    service,
    host: '127.0.0.1',
    port: 0,
    maxRequestBytes: 8 * 1024 * 1024,
    maxResponseBytes: 8 * 1024 * 1024,
    maxConcurrent: 4,
    maxQueued: 16,
    shutdownGraceMs: 5000,
    logLevel: 'silent',
    h2c: false,
    connections: DEFAULT_CONNECTION_LIMITS,
    security: {},
    ...overrides,
  };
}

/** A stage service's config for tests: the real models as the tests find them. */
export function testStageConfig(service: StageServiceName, server: Partial<ServerConfig> = {}): StageServiceConfig {
  const config = loadStageServiceConfig(service, 'rest', testModelEnv());
  return { ...config, server: testServerConfig(service, server) };
}

/** A noise reducer that echoes its input, held at a gate until `release()`; readiness is switchable. */
export interface FakeNoiseReducer extends NoiseReducerRuntime {
  calls: ReduceNoiseRequest[];
  /** The abort signal each call got, in the same order. */
  signals: (AbortSignal | undefined)[];
  closed: boolean;
  setReady(ready: boolean): void;
  /** From now on every call waits until released. */
  hold(): void;
  release(): void;
}

/** Resolves once the fake has taken its first call. */
export async function untilCalled(runtime: FakeNoiseReducer): Promise<void> {
  while (runtime.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Shuts the service down once the fake holds `call`: how long that took, and whether the call was answered or cut off. */
export async function shutDownWhileHeld(
  service: { shutdown(): Promise<void> },
  runtime: FakeNoiseReducer,
  call: Promise<unknown>,
): Promise<{ ms: number; call: 'answered' | 'cut off' }> {
  const outcome = call.then(
    () => 'answered' as const,
    () => 'cut off' as const,
  );
  await untilCalled(runtime);
  const started = Date.now();
  await service.shutdown();
  return { ms: Date.now() - started, call: await outcome };
}

export function fakeNoiseReducer(): FakeNoiseReducer {
  let ready = true;
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  const fake: FakeNoiseReducer = {
    service: 'noise-reducer',
    calls: [],
    signals: [],
    closed: false,
    ready: Promise.resolve(),
    isReady: () => ready,
    setReady: (value) => {
      ready = value;
    },
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => {
      gate = undefined;
      open();
    },
    close: async () => {
      fake.closed = true;
    },
    reduceNoise: async (request, signal): Promise<ReduceNoiseResponse> => {
      fake.calls.push(request);
      fake.signals.push(signal);
      await gate;
      const image = request.image ?? { data: Buffer.alloc(0), format: '', width: 0, height: 0, channels: 0, fileName: '' };
      return { image: { ...image, format: 'png', width: 2, height: 1 }, computeMs: 1.5 };
    },
  };
  return fake;
}

/** A multipart body; `files` entries are sent in order. */
export function formData(
  files: { field: string; bytes: Uint8Array; name: string; type?: string }[],
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append(file.field, new Blob([file.bytes], { type: file.type ?? 'image/jpeg' }), file.name);
  return form;
}

/** A loopback port that was free a moment ago and has no listener now. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** A response's JSON body, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}
