import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from './connection-limits';
import { ConfigError } from './env-reader';
import { loadOrchestratorConfig, loadStageServiceConfig } from './service-config';

describe('loadStageServiceConfig', () => {
  it('uses the local topology defaults', () => {
    const config = loadStageServiceConfig('background-remover', 'grpc', {});
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 50042, maxConcurrent: 1 });
    expect(config.medianKernelSize).toBe(5);
    expect(config.models.allowDownload).toBe(true);
  });

  it('reads overrides', () => {
    const config = loadStageServiceConfig('uploader', 'rest', {
      HOST: '0.0.0.0',
      PORT: '9000',
      PIPELINE_MODEL_DIR: '/models',
      PIPELINE_MODEL_DOWNLOAD: 'false',
      PIPELINE_MEDIAN_KERNEL: '7',
    });
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 9000, protocol: 'rest' });
    expect(config.models).toMatchObject({ modelDir: '/models', allowDownload: false });
    expect(config.medianKernelSize).toBe(7);
  });

  it('gives a gRPC service a metrics port 1000 above its default port, none to REST', () => {
    expect(loadStageServiceConfig('uploader', 'grpc', {}).server.metricsPort).toBe(51040);
    expect(loadStageServiceConfig('classifier', 'grpc', { PORT: '50043' }).server.metricsPort).toBe(51043);
    expect(loadOrchestratorConfig('grpc', {}).server.metricsPort).toBe(51030);
    expect(loadStageServiceConfig('uploader', 'rest', { METRICS_PORT: '9100' }).server.metricsPort).toBeUndefined();
  });

  it('picks any free metrics port when PORT moves the service, and reads METRICS_PORT', () => {
    expect(loadStageServiceConfig('uploader', 'grpc', { PORT: '23100' }).server.metricsPort).toBe(0);
    expect(loadStageServiceConfig('uploader', 'grpc', { PORT: '23100', METRICS_PORT: '9100' }).server.metricsPort).toBe(9100);
    expect(() => loadStageServiceConfig('uploader', 'grpc', { METRICS_PORT: '70000' })).toThrow(
      'METRICS_PORT: expected an integer from 0 to 65535, got "70000"',
    );
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadStageServiceConfig('uploader', 'grpc', { PORT: 'eighty', PIPELINE_MEDIAN_KERNEL: '4', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT: expected an integer from 0 to 65535, got "eighty"');
    expect(message).toContain('PIPELINE_MEDIAN_KERNEL: expected an odd integer from 3 to 15, got "4"');
    expect(message).toContain('LOG_LEVEL');
  });
});

describe('loadOrchestratorConfig', () => {
  it('defaults stage addresses to loopback with the protocol ports', () => {
    const config = loadOrchestratorConfig('rest', {});
    expect(config.server.port).toBe(50051);
    expect(config.stageAddresses).toEqual({
      uploader: '127.0.0.1:50060',
      'noise-reducer': '127.0.0.1:50061',
      'background-remover': '127.0.0.1:50062',
      classifier: '127.0.0.1:50063',
    });
    expect(config.stages['background-remover']).toEqual({});
  });

  it('takes the original project address variables and tuning', () => {
    const config = loadOrchestratorConfig('grpc', {
      BACKGROUND_ADDR: '10.0.0.4:50042',
      ORCH_BACKGROUND_REMOVER_CONCURRENCY: '2',
      JOB_STORE_MAX: '10',
    });
    expect(config.maxJobs).toBe(10);
    expect(config.stageAddresses['background-remover']).toBe('10.0.0.4:50042');
    expect(config.stages['background-remover'].concurrency).toBe(2);
  });

  it('rejects a malformed address', () => {
    expect(() => loadOrchestratorConfig('grpc', { NOISE_ADDR: 'nohost' })).toThrow(/NOISE_ADDR: expected host:port/);
  });

  it('reads REST_STAGE_ENCODING, binary by default', () => {
    expect(loadOrchestratorConfig('rest', {}).restStageEncoding).toBe('binary');
    expect(loadOrchestratorConfig('rest', { REST_STAGE_ENCODING: 'json' }).restStageEncoding).toBe('json');
  });

  it('reads REST_STAGE_HTTP2 on both sides, HTTP/1.1 by default; the orchestrator itself keeps HTTP/1.1', () => {
    expect(loadOrchestratorConfig('rest', {})).toMatchObject({ restStageHttp2: false, server: { h2c: false } });
    expect(loadOrchestratorConfig('rest', { REST_STAGE_HTTP2: 'true' })).toMatchObject({ restStageHttp2: true, server: { h2c: false } });
    expect(loadStageServiceConfig('uploader', 'rest', {}).server.h2c).toBe(false);
    expect(loadStageServiceConfig('uploader', 'rest', { REST_STAGE_HTTP2: 'true' }).server.h2c).toBe(true);
    expect(() => loadStageServiceConfig('uploader', 'rest', { REST_STAGE_HTTP2: 'maybe' })).toThrow(/REST_STAGE_HTTP2/);
  });

  it('reads the connection limits on every service, and refuses a request timeout shorter than the headers timeout', () => {
    expect(loadOrchestratorConfig('grpc', {}).server.connections).toEqual(DEFAULT_CONNECTION_LIMITS);
    const env = { HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '5000', IDLE_TIMEOUT_MS: '700', MAX_CONNECTIONS: '32' };
    expect(loadStageServiceConfig('classifier', 'rest', env).server.connections).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      idleTimeoutMs: 700,
      maxConnections: 32,
    });
    expect(() => loadStageServiceConfig('classifier', 'rest', { HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '2000' })).toThrow(
      /REQUEST_TIMEOUT_MS: expected an integer from 5000/,
    );
  });

  it('leaves STAGE_CALL_RETRIES to the retry policy unless set, and checks its range', () => {
    expect(loadOrchestratorConfig('grpc', {}).stageCallRetries).toBeUndefined();
    expect(loadOrchestratorConfig('rest', { STAGE_CALL_RETRIES: '0' }).stageCallRetries).toBe(0);
    expect(() => loadOrchestratorConfig('grpc', { STAGE_CALL_RETRIES: '11' })).toThrow(/STAGE_CALL_RETRIES: expected an integer from 0 to 10/);
  });

  it('rejects an unknown REST_STAGE_ENCODING', () => {
    expect(() => loadOrchestratorConfig('rest', { REST_STAGE_ENCODING: 'xml' })).toThrow(/REST_STAGE_ENCODING/);
  });
});
