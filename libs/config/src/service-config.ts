import { readConnectionLimits, type ConnectionLimits } from './connection-limits';
import { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_PIXELS, STAGE_TABLE } from '@imagepipeline/contracts';
import { EnvReader, type Env } from './env-reader';
import { orchestratorMessageLimits, stageMessageLimits, type MessageLimits } from './message-limits';
import { readServerSecurity, readStageClientSecurity, type ClientSecurity, type ServerSecurity } from './security-config';
import { DEFAULT_PORTS, type Protocol, type ServiceName, type StageServiceName } from './services';

const MiB = 1024 * 1024;

/**
 * How a server listens and protects itself. `maxRequestBytes` (gRPC max receive size, REST body
 * limit) and `maxResponseBytes` (gRPC max send size) follow from the image limits: see
 * `stageMessageLimits` and `orchestratorMessageLimits`.
 */
export interface ServerConfig extends MessageLimits {
  protocol: Protocol;
  service: ServiceName;
  host: string;
  port: number;
  /**
   * gRPC only (REST serves `/metrics` on its own port): the HTTP port of `GET /metrics`
   * (`METRICS_PORT`). By default the service's default port + 1000 (51030, 51040–51043) while it
   * listens on its default port, and any free port when `PORT` moves it, so that instances started
   * side by side never collide; 0 is any free port too.
   */
  metricsPort?: number;
  /** Requests handled at once; more wait in a queue. */
  maxConcurrent: number;
  /** Requests allowed to wait; beyond it: 429 / RESOURCE_EXHAUSTED. */
  maxQueued: number;
  /** How long SIGTERM waits for in-flight requests before forcing the exit. */
  shutdownGraceMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * REST only: listen for cleartext HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1. A REST
   * stage service reads it from `REST_STAGE_HTTP2`; the orchestrator's own API stays HTTP/1.1.
   */
  h2c: boolean;
  connections: ConnectionLimits;
  /** TLS, mutual TLS and the bearer token the server requires; none of them by default. */
  security: ServerSecurity;
}

export interface ImageLimitsConfig {
  maxBytes: number;
  maxPixels: number;
}

export interface ModelConfig {
  modelDir?: string;
  cacheDir?: string;
  allowDownload: boolean;
  intraOpThreads: number;
  interOpThreads: number;
}

/** Everything a stage service process reads from its environment. */
export interface StageServiceConfig {
  server: ServerConfig;
  limits: ImageLimitsConfig;
  medianKernelSize: number;
  defaultTopK: number;
  models: ModelConfig;
}

/** Per-stage tuning of the orchestrator; unset values keep the pipeline library's defaults. */
export interface OrchestratorStageTuning {
  concurrency?: number;
  queueCapacity?: number;
  deadlineMs?: number;
}

export interface OrchestratorConfig {
  server: ServerConfig;
  /** The stages' image limits, which the orchestrator's message limits follow. */
  limits: ImageLimitsConfig;
  /** `host:port` of each stage service, or a comma-separated list of its replicas (see `stageEndpoints`). */
  stageAddresses: Record<StageServiceName, string>;
  stages: Record<StageServiceName, OrchestratorStageTuning>;
  /** Images admitted at once before new ones are refused. */
  maxInFlightImages?: number;
  /** Bytes of memory the images in flight may hold (`ORCH_MEMORY_BUDGET_MB`); unset: the pipeline library's default. */
  memoryBudgetBytes?: number;
  /**
   * Retries of a stage call that found the stage unavailable (`STAGE_CALL_RETRIES`); unset: the
   * stage-call retry policy's default (`@imagepipeline/serving`), which both stage clients share.
   */
  stageCallRetries?: number;
  /** How long finished asynchronous jobs are kept. */
  jobTtlMs: number;
  /** Asynchronous jobs kept at once, finished or not. */
  maxJobs: number;
  /** Image bytes the finished jobs' results may hold together. */
  maxJobResultBytes: number;
  defaultTopK: number;
  /**
   * How the REST orchestrator sends images to the stages (`REST_STAGE_ENCODING`): `binary` raw
   * bodies and binary answers (default), or `json` bodies with base64 and JSON answers (the
   * original project's style, kept for comparison). The gRPC orchestrator ignores it.
   */
  restStageEncoding: RestStageEncoding;
  /**
   * Whether the REST orchestrator calls the stages over cleartext HTTP/2 (`REST_STAGE_HTTP2`; the
   * stages must be started with it too) instead of HTTP/1.1. The gRPC orchestrator ignores it.
   */
  restStageHttp2: boolean;
  /** How the orchestrator reaches its stages: TLS trust, its client certificate, the token it sends. */
  stageSecurity: ClientSecurity;
}

/** Values of `REST_STAGE_ENCODING`. */
export const REST_STAGE_ENCODINGS = ['binary', 'json'] as const;
export type RestStageEncoding = (typeof REST_STAGE_ENCODINGS)[number];

/** Stage services that run a model handle one request at a time by default: it uses every core. */
const DEFAULT_STAGE_CONCURRENCY: Record<ServiceName, number> = {
  orchestrator: 64,
  uploader: 4,
  'noise-reducer': 2,
  'background-remover': 1,
  classifier: 1,
};

/** How far above a gRPC service's default port its metrics port is by default. */
const METRICS_PORT_OFFSET = 1000;

function readServer(read: EnvReader, protocol: Protocol, service: ServiceName, messages: MessageLimits): ServerConfig {
  const defaultPort = DEFAULT_PORTS[protocol][service];
  const port = read.port('PORT', defaultPort);
  return {
    protocol,
    service,
    host: read.string('HOST', '127.0.0.1'),
    port,
    ...(protocol === 'grpc' && { metricsPort: read.port('METRICS_PORT', port === defaultPort ? defaultPort + METRICS_PORT_OFFSET : 0) }),
    ...messages,
    maxConcurrent: read.integer('MAX_CONCURRENT', DEFAULT_STAGE_CONCURRENCY[service], { min: 1, max: 1024 }),
    maxQueued: read.integer('MAX_QUEUED', 64, { min: 0, max: 100_000 }),
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 }),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    h2c: service !== 'orchestrator' && readStageHttp2(read),
    connections: readConnectionLimits(read),
    security: readServerSecurity(read),
  };
}

/**
 * At most 100 MP, so that an answer with both intermediates stays a single message grpc-js can
 * carry (under 2 GiB).
 */
const MAX_MAX_PIXELS = 100_000_000;

function readImageLimits(read: EnvReader): ImageLimitsConfig {
  return {
    maxBytes: read.integer('PIPELINE_MAX_IMAGE_BYTES', DEFAULT_MAX_IMAGE_BYTES, { min: 1, max: 1024 * MiB }),
    maxPixels: read.integer('PIPELINE_MAX_PIXELS', DEFAULT_MAX_PIXELS, { min: 1, max: MAX_MAX_PIXELS }),
  };
}

/** Reads and validates a stage service's environment; throws ConfigError naming every bad variable. */
export function loadStageServiceConfig(service: StageServiceName, protocol: Protocol, env: Env): StageServiceConfig {
  const read = new EnvReader(env);
  const limits = readImageLimits(read);
  const config: StageServiceConfig = {
    server: readServer(read, protocol, service, stageMessageLimits(limits)),
    limits,
    medianKernelSize: read.integer('PIPELINE_MEDIAN_KERNEL', 5, { min: 3, max: 15, odd: true }),
    defaultTopK: read.integer('PIPELINE_TOP_K', 5, { min: 1, max: 1000 }),
    models: {
      modelDir: read.optionalString('PIPELINE_MODEL_DIR'),
      cacheDir: read.optionalString('PIPELINE_MODEL_CACHE_DIR'),
      allowDownload: read.boolean('PIPELINE_MODEL_DOWNLOAD', true),
      intraOpThreads: read.integer('ORT_INTRA_OP_THREADS', 0, { min: 0, max: 256 }),
      interOpThreads: read.integer('ORT_INTER_OP_THREADS', 1, { min: 0, max: 256 }),
    },
  };
  read.finish();
  return config;
}

/** Reads and validates the orchestrator's environment; throws ConfigError naming every bad variable. */
export function loadOrchestratorConfig(protocol: Protocol, env: Env): OrchestratorConfig {
  const read = new EnvReader(env);
  const stageAddresses = {} as Record<StageServiceName, string>;
  const stages = {} as Record<StageServiceName, OrchestratorStageTuning>;
  for (const { service, addressVariable, defaultPorts } of STAGE_TABLE) {
    stageAddresses[service] = read.address(addressVariable, `127.0.0.1:${defaultPorts[protocol]}`);
    const prefix = `ORCH_${service.toUpperCase().replace(/-/g, '_')}`;
    stages[service] = {
      concurrency: read.optionalInteger(`${prefix}_CONCURRENCY`, { min: 1, max: 1024 }),
      queueCapacity: read.optionalInteger(`${prefix}_QUEUE`, { min: 0, max: 100_000 }),
      deadlineMs: read.optionalInteger(`${prefix}_DEADLINE_MS`, { min: 1, max: 3_600_000 }),
    };
  }
  const limits = readImageLimits(read);
  const config: OrchestratorConfig = {
    server: readServer(read, protocol, 'orchestrator', orchestratorMessageLimits(limits)),
    limits,
    stageAddresses,
    stages,
    maxInFlightImages: read.optionalInteger('ORCH_MAX_IN_FLIGHT', { min: 1, max: 100_000 }),
    memoryBudgetBytes: mebibytes(read.optionalInteger('ORCH_MEMORY_BUDGET_MB', { min: 64, max: 1024 * 1024 })),
    stageCallRetries: read.optionalInteger('STAGE_CALL_RETRIES', { min: 0, max: 10 }),
    jobTtlMs: read.integer('JOB_TTL_MS', 600_000, { min: 1000, max: 86_400_000 }),
    maxJobs: read.integer('JOB_STORE_MAX', 256, { min: 1, max: 100_000 }),
    maxJobResultBytes: read.integer('JOB_STORE_MAX_MB', 1024, { min: 1, max: 1_048_576 }) * MiB,
    defaultTopK: read.integer('PIPELINE_TOP_K', 5, { min: 1, max: 1000 }),
    restStageEncoding: read.oneOf('REST_STAGE_ENCODING', REST_STAGE_ENCODINGS, 'binary'),
    restStageHttp2: readStageHttp2(read),
    stageSecurity: readStageClientSecurity(read),
  };
  read.finish();
  return config;
}

/** `REST_STAGE_HTTP2`: REST between the orchestrator and the stages over h2c, read by both sides. */
function readStageHttp2(read: EnvReader): boolean {
  return read.boolean('REST_STAGE_HTTP2', false);
}

function mebibytes(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * MiB;
}
