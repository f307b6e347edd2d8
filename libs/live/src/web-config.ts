import { EnvReader, isStageAddress, tokenFromFile, TOKEN_FILE_RULE, type ClientSecurity, type Env } from '@imagepipeline/config';
import { DEFAULT_MAX_IMAGE_BYTES } from '@imagepipeline/contracts';
import type { LiveProtocol } from './live-events';
import { LIVE_DEFAULTS } from './live-runs';

/** The web server's configuration, read once from the environment. */
export interface WebConfig {
  host: string;
  port: number;
  /** The orchestrator of each protocol offered (at least one). */
  orchestrators: Partial<Record<LiveProtocol, string>>;
  /** How both orchestrators are reached: TLS, a client certificate, a bearer token (none by default). */
  security: ClientSecurity;
  maxImageBytes: number;
  maxImagesPerRun: number;
  /** Images in flight per protocol, every run together. */
  concurrency: number;
  keepRuns: number;
  keepBytes: number;
  shutdownGraceMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const MiB = 1024 * 1024;

/** Variables naming each protocol's orchestrator address. */
export const ORCHESTRATOR_VARIABLES: Record<LiveProtocol, string> = {
  grpc: 'GRPC_ORCHESTRATOR_ADDR',
  rest: 'REST_ORCHESTRATOR_ADDR',
};

/**
 * `PORT` (8080) and `HOST` (127.0.0.1); `GRPC_ORCHESTRATOR_ADDR` and/or `REST_ORCHESTRATOR_ADDR`
 * (`host:port`, at least one); the files the pipeline client's TLS flags take, for both
 * orchestrators: `ORCHESTRATOR_TLS_CA_FILE` (TLS on), `ORCHESTRATOR_TLS_CERT_FILE` and
 * `ORCHESTRATOR_TLS_KEY_FILE` (mutual TLS), `ORCHESTRATOR_AUTH_TOKEN_FILE`; limits
 * (`PIPELINE_MAX_IMAGE_BYTES`, `MAX_IMAGES_PER_RUN`, `CONCURRENCY`, `KEEP_RUNS`, `KEEP_MB`),
 * `SHUTDOWN_GRACE_MS` and `LOG_LEVEL`. Throws one ConfigError listing every bad variable.
 */
export function loadWebConfig(env: Env): WebConfig {
  const read = new EnvReader(env);
  const orchestrators: Partial<Record<LiveProtocol, string>> = {};
  let given = 0;
  for (const [protocol, variable] of Object.entries(ORCHESTRATOR_VARIABLES) as [LiveProtocol, string][]) {
    const address = read.optionalString(variable);
    if (address === undefined) continue;
    given += 1;
    if (isStageAddress(address) && !address.includes(',')) orchestrators[protocol] = address;
    else read.require(variable, `one host:port, got "${address}"`);
  }
  if (given === 0) {
    read.require('GRPC_ORCHESTRATOR_ADDR or REST_ORCHESTRATOR_ADDR', 'at least one set, e.g. GRPC_ORCHESTRATOR_ADDR=127.0.0.1:50030');
  }
  const config: WebConfig = {
    host: read.string('HOST', '127.0.0.1'),
    port: read.port('PORT', 8080),
    orchestrators,
    security: readOrchestratorSecurity(read),
    maxImageBytes: read.integer('PIPELINE_MAX_IMAGE_BYTES', DEFAULT_MAX_IMAGE_BYTES, { min: 1, max: 1024 * MiB }),
    maxImagesPerRun: read.integer('MAX_IMAGES_PER_RUN', LIVE_DEFAULTS.maxImagesPerRun, { min: 1, max: 1000 }),
    concurrency: read.integer('CONCURRENCY', LIVE_DEFAULTS.concurrency, { min: 1, max: 256 }),
    keepRuns: read.integer('KEEP_RUNS', LIVE_DEFAULTS.retention.maxRuns, { min: 1, max: 10_000 }),
    keepBytes: read.integer('KEEP_MB', LIVE_DEFAULTS.retention.maxBytes / MiB, { min: 1, max: 1_048_576 }) * MiB,
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 }),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  };
  read.finish();
  return config;
}

function readOrchestratorSecurity(read: EnvReader): ClientSecurity {
  const ca = read.optionalFile('ORCHESTRATOR_TLS_CA_FILE');
  const cert = read.optionalFile('ORCHESTRATOR_TLS_CERT_FILE');
  const key = read.optionalFile('ORCHESTRATOR_TLS_KEY_FILE');
  if ((cert === undefined) !== (key === undefined)) read.require('ORCHESTRATOR_TLS_CERT_FILE and ORCHESTRATOR_TLS_KEY_FILE', 'both set, or neither');
  if (cert && !ca) read.require('ORCHESTRATOR_TLS_CERT_FILE', 'ORCHESTRATOR_TLS_CA_FILE too (a client certificate is only sent over TLS)');
  const tokenFile = read.optionalFile('ORCHESTRATOR_AUTH_TOKEN_FILE');
  const token = tokenFile && (tokenFromFile(tokenFile) ?? read.require('ORCHESTRATOR_AUTH_TOKEN_FILE', TOKEN_FILE_RULE));
  return { ca, cert, key, token };
}
