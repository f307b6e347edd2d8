// One way to call every public endpoint of both protocols and describe what came back, including
// requests no well-behaved client would send (raw bytes as a gRPC message, odd multipart bodies).
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import sharp from 'sharp';
import {
  BackgroundRemoverServiceService,
  ClassifierServiceService,
  NoiseReducerServiceService,
  OrchestratorServiceService,
  UploaderServiceService,
  jobPath,
  REST_HEADERS,
  REST_ROUTES,
} from '@imagepipeline/contracts';
import type { Protocol, ServiceName } from '@imagepipeline/config';
import { HTTP_STATUS_BY_ERROR_CODE } from '@imagepipeline/transport-rest';

/** A public image endpoint: the four stage calls, the orchestrator's synchronous call, and its other style. */
export type EndpointName = 'upload' | 'reduce-noise' | 'remove-background' | 'classify' | 'pipeline' | 'pipeline-async';

export const ENDPOINT_SERVICE: Record<EndpointName, ServiceName> = {
  upload: 'uploader',
  'reduce-noise': 'noise-reducer',
  'remove-background': 'background-remover',
  classify: 'classifier',
  pipeline: 'orchestrator',
  'pipeline-async': 'orchestrator',
};

export const ENDPOINTS: readonly EndpointName[] = Object.keys(ENDPOINT_SERVICE) as EndpointName[];

/** How each endpoint is reached: REST route, or gRPC method (the async style is `/v1/jobs` / `ProcessStream`). */
export function endpointLabel(protocol: Protocol, endpoint: EndpointName): string {
  if (protocol === 'rest') {
    const route = { upload: REST_ROUTES.upload, 'reduce-noise': REST_ROUTES.reduceNoise, 'remove-background': REST_ROUTES.removeBackground, classify: REST_ROUTES.classify, pipeline: REST_ROUTES.pipeline, 'pipeline-async': REST_ROUTES.jobs }[endpoint];
    return `POST ${route}`;
  }
  return GRPC_METHODS[endpoint].path;
}

/** What a request carries. Image payloads work on both protocols; the others on one. */
export type Payload =
  | { kind: 'image'; bytes: Buffer; fileName: string }
  /** REST only: the body as it is, with this content type. */
  | { kind: 'rest-body'; contentType: string; body: Buffer }
  /** REST only: a multipart body with these parts. */
  | { kind: 'rest-multipart'; parts: { field: string; fileName?: string; bytes: Buffer }[] }
  /** gRPC only: these bytes sent as the request message, unchecked. */
  | { kind: 'grpc-raw'; bytes: Buffer }
  /** gRPC only: a request message without an image. */
  | { kind: 'grpc-no-image' };

export function payloadProtocols(payload: Payload): readonly Protocol[] {
  if (payload.kind === 'image') return ['grpc', 'rest'];
  return payload.kind.startsWith('rest') ? ['rest'] : ['grpc'];
}

/** What came back, protocol-neutral: `status` is the HTTP status or the gRPC status name. */
export interface CallOutcome {
  ok: boolean;
  status: string;
  /** The pipeline error code the server sent (REST body `error`, gRPC `pipeline-error-code` trailer). */
  code?: string;
  message?: string;
  /** The wait a refusal suggests: REST `Retry-After`, gRPC trailer `retry-after-seconds`. */
  retryAfterSeconds?: number;
  ms: number;
  /** The returned image (the processed one for the orchestrator), when one came back. */
  image?: { format?: string; width?: number; height?: number; channels?: number };
  label?: string;
}

const GRPC_METHODS = {
  upload: UploaderServiceService.upload,
  'reduce-noise': NoiseReducerServiceService.reduceNoise,
  'remove-background': BackgroundRemoverServiceService.removeBackground,
  classify: ClassifierServiceService.classify,
  pipeline: OrchestratorServiceService.process,
  'pipeline-async': OrchestratorServiceService.processStream,
} as const;

/**
 * How a REST orchestrator call asks for its result: JSON with base64 images, or the processed PNG
 * itself (`Accept: image/png`; a job's through `GET /v1/jobs/:id/image`), as a client does for
 * camera photos. gRPC answers one way.
 */
export type RestAnswer = 'json' | 'png';

/** Sends one request and describes the answer; never throws for a refused or failed request. */
export async function callEndpoint(
  protocol: Protocol,
  address: string,
  endpoint: EndpointName,
  payload: Payload,
  timeoutMs = 60_000,
  restAnswer: RestAnswer = 'json',
): Promise<CallOutcome> {
  const started = performance.now();
  const outcome =
    protocol === 'grpc' ? await callGrpc(address, endpoint, payload, timeoutMs) : await callRest(address, endpoint, payload, timeoutMs, restAnswer);
  return { ...outcome, ms: Math.round(performance.now() - started) } as CallOutcome;
}

// ---------------------------------------------------------------- gRPC

type Partial1 = Omit<CallOutcome, 'ms'>;

const MAX_CLIENT_MESSAGE = 256 * 1024 * 1024;

function grpcClient(address: string): Client {
  // The client accepts anything: the server's limits are what is being tested.
  return new Client(address, credentials.createInsecure(), {
    'grpc.max_send_message_length': MAX_CLIENT_MESSAGE,
    'grpc.max_receive_message_length': MAX_CLIENT_MESSAGE,
  });
}

/** Every scalar field set (ts-proto's encoders expect them); `image` left out for `grpc-no-image`. */
const REQUEST_FIELDS: Record<EndpointName, object> = {
  upload: { outputFormat: '' },
  'reduce-noise': { kernelSize: 0, outputFormat: '' },
  'remove-background': {},
  classify: { topK: 3 },
  pipeline: { topK: 3, includeIntermediates: false },
  'pipeline-async': { topK: 3, includeIntermediates: false },
};

function requestMessage(endpoint: EndpointName, payload: Payload): object {
  if (payload.kind === 'grpc-no-image') return { ...REQUEST_FIELDS[endpoint] };
  if (payload.kind !== 'image') throw new Error(`payload ${payload.kind} cannot be sent over gRPC`);
  const image = { data: payload.bytes, format: '', width: 0, height: 0, channels: 0, fileName: payload.fileName };
  return { ...REQUEST_FIELDS[endpoint], image };
}

function callGrpc(address: string, endpoint: EndpointName, payload: Payload, timeoutMs: number): Promise<Partial1> {
  const method = GRPC_METHODS[endpoint];
  const client = grpcClient(address);
  const serialize =
    payload.kind === 'grpc-raw'
      ? (() => payload.bytes) as (value: unknown) => Buffer
      : (method.requestSerialize as (value: unknown) => Buffer);
  const message = payload.kind === 'grpc-raw' ? {} : requestMessage(endpoint, payload);
  const deserialize = method.responseDeserialize as unknown as (bytes: Buffer) => Record<string, unknown>;
  const options = { deadline: Date.now() + timeoutMs };
  return new Promise<Partial1>((resolve) => {
    const finish = (outcome: Partial1) => {
      client.close();
      resolve(outcome);
    };
    const onError = (error: ServiceError) =>
      finish({
        ok: false,
        status: status[error.code] ?? String(error.code),
        code: error.metadata?.get('pipeline-error-code')[0]?.toString(),
        message: error.details,
        retryAfterSeconds: secondsIn(error.metadata?.get('retry-after-seconds')[0]?.toString()),
      });
    if (!method.responseStream) {
      client.makeUnaryRequest(method.path, serialize, deserialize, message, new Metadata(), options, (error, response) => {
        if (error) onError(error);
        else void describeGrpcResponse(response ?? {}).then(finish);
      });
      return;
    }
    const stream = client.makeServerStreamRequest(method.path, serialize, deserialize, message, new Metadata(), options);
    let result: Record<string, unknown> | undefined;
    stream.on('data', (event: Record<string, unknown>) => {
      const value = event.event as { $case?: string; value?: Record<string, unknown> } | undefined;
      if (value?.$case === 'result') result = value.value;
    });
    stream.on('error', onError);
    stream.on('end', () => {
      if (result) void describeGrpcResponse(result).then(finish);
      else finish({ ok: false, status: 'OK', message: 'the stream ended without a result' });
    });
  });
}

async function describeGrpcResponse(response: Record<string, unknown>): Promise<Partial1> {
  const image = (response.processedImage ?? response.image) as { data?: Uint8Array } | undefined;
  return { ok: true, status: 'OK', image: image?.data ? await describeImage(image.data) : undefined, label: response.label as string | undefined };
}

// ---------------------------------------------------------------- REST

const REST_ROUTE: Record<EndpointName, string> = {
  upload: REST_ROUTES.upload,
  'reduce-noise': REST_ROUTES.reduceNoise,
  'remove-background': REST_ROUTES.removeBackground,
  classify: REST_ROUTES.classify,
  pipeline: REST_ROUTES.pipeline,
  'pipeline-async': REST_ROUTES.jobs,
};

function restBody(payload: Payload): { body: FormData | Buffer; headers: Record<string, string> } {
  switch (payload.kind) {
    case 'image': {
      const form = new FormData();
      form.append('image', new Blob([payload.bytes]), payload.fileName);
      return { body: form, headers: {} };
    }
    case 'rest-body':
      return { body: payload.body, headers: { 'content-type': payload.contentType } };
    case 'rest-multipart': {
      const form = new FormData();
      for (const part of payload.parts) {
        if (part.fileName === undefined) form.append(part.field, part.bytes.toString('utf8'));
        else form.append(part.field, new Blob([part.bytes]), part.fileName);
      }
      return { body: form, headers: {} };
    }
    default:
      throw new Error(`payload ${payload.kind} cannot be sent over REST`);
  }
}

async function callRest(address: string, endpoint: EndpointName, payload: Payload, timeoutMs: number, answer: RestAnswer): Promise<Partial1> {
  const { body, headers } = restBody(payload);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(`http://${address}${REST_ROUTE[endpoint]}`, {
      method: 'POST',
      body,
      headers: { ...headers, accept: answer === 'png' && endpoint === 'pipeline' ? 'image/png' : 'application/json' },
      signal,
    });
  } catch (error) {
    return { ok: false, status: 'NO_RESPONSE', message: connectionProblem(error) };
  }
  if (response.ok && response.headers.get('content-type')?.startsWith('image/')) return describeRestPng(response);
  const json = await readJson(response);
  if (endpoint === 'pipeline-async' && response.status === 202) return followJob(address, String(json.id), signal, answer);
  return describeRestJson(response.status, json, response.headers);
}

async function describeRestJson(httpStatus: number, json: Record<string, unknown>, headers?: Headers): Promise<Partial1> {
  if (httpStatus >= 400) {
    return {
      ok: false,
      status: String(httpStatus),
      code: json.error as string | undefined,
      message: json.message as string | undefined,
      retryAfterSeconds: secondsIn(headers?.get('retry-after')),
    };
  }
  const image = (json.processedImage ?? json.image) as { data?: string } | undefined;
  return {
    ok: true,
    status: String(httpStatus),
    image: image?.data ? await describeImage(Buffer.from(image.data, 'base64')) : undefined,
    label: json.label as string | undefined,
  };
}

/** The processed PNG of a binary answer, with its label from the `x-label` header. */
async function describeRestPng(response: Response): Promise<Partial1> {
  const label = response.headers.get(REST_HEADERS.label);
  const image = await describeImage(new Uint8Array(await response.arrayBuffer()));
  return { ok: true, status: String(response.status), image, label: label === null ? undefined : decodeURIComponent(label) };
}

/**
 * Polls a job until it is done or failed; a failed job reports the HTTP status of its error code.
 * For a PNG answer it polls without the image bytes, then reads the processed image alone.
 */
async function followJob(address: string, id: string, signal: AbortSignal, answer: RestAnswer): Promise<Partial1> {
  const get = (path: string) => fetch(`http://${address}${path}`, { signal, headers: { accept: answer === 'png' ? 'image/png, application/json' : 'application/json' } });
  for (;;) {
    let response: Response;
    try {
      response = await get(`${jobPath(REST_ROUTES.job, id)}${answer === 'png' ? '?images=false' : ''}`);
    } catch (error) {
      return { ok: false, status: 'NO_RESPONSE', message: `job ${id}: ${connectionProblem(error)}` };
    }
    const job = await readJson(response);
    if (response.status !== 200) return describeRestJson(response.status, job, response.headers);
    if (job.status === 'done' && answer === 'png') return readJobPng(get, id);
    if (job.status === 'done') return describeRestJson(200, (job.result ?? {}) as Record<string, unknown>);
    if (job.status === 'failed') {
      const error = (job.error ?? {}) as { error?: string; message?: string };
      const httpStatus = HTTP_STATUS_BY_ERROR_CODE[error.error as keyof typeof HTTP_STATUS_BY_ERROR_CODE] ?? 500;
      return { ok: false, status: String(httpStatus), code: error.error, message: `job failed: ${error.message}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readJobPng(get: (path: string) => Promise<Response>, id: string): Promise<Partial1> {
  try {
    const response = await get(jobPath(REST_ROUTES.jobImage, id));
    return response.ok ? describeRestPng(response) : describeRestJson(response.status, await readJson(response), response.headers);
  } catch (error) {
    return { ok: false, status: 'NO_RESPONSE', message: `job ${id} image: ${connectionProblem(error)}` };
  }
}

/** A whole number of seconds from a header or trailer; undefined when absent or not a number. */
function secondsIn(value: string | null | undefined): number | undefined {
  const seconds = Number(value ?? NaN);
  return Number.isFinite(seconds) ? seconds : undefined;
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text().catch(() => '');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function describeImage(bytes: Uint8Array): Promise<CallOutcome['image']> {
  try {
    const { format, width, height, channels } = await sharp(bytes).metadata();
    return { format, width, height, channels };
  } catch {
    return { format: 'unreadable' };
  }
}

/** Is a refusal (connection refused, 503 while closing, gRPC UNAVAILABLE) what came back? */
export function isRefusal(outcome: CallOutcome): boolean {
  return !outcome.ok && ['NO_RESPONSE', '503', 'UNAVAILABLE'].includes(outcome.status);
}
