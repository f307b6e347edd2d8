import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@imagepipeline/config';
import { loadWebConfig } from './web-config';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadWebConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadWebConfig', () => {
  it('has defaults for everything but the orchestrators', () => {
    expect(loadWebConfig({ GRPC_ORCHESTRATOR_ADDR: '127.0.0.1:50030' })).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      orchestrators: { grpc: '127.0.0.1:50030' },
      security: {},
      maxImageBytes: 50 * 1024 * 1024,
      maxImagesPerRun: 32,
      concurrency: 4,
      keepRuns: 16,
      keepBytes: 256 * 1024 * 1024,
    });
    expect(loadWebConfig({ REST_ORCHESTRATOR_ADDR: 'orchestrator:50051', PORT: '0' }).orchestrators).toEqual({ rest: 'orchestrator:50051' });
  });

  it('names every bad variable at once', () => {
    expect(problemsOf({})).toEqual([
      'GRPC_ORCHESTRATOR_ADDR or REST_ORCHESTRATOR_ADDR: expected at least one set, e.g. GRPC_ORCHESTRATOR_ADDR=127.0.0.1:50030',
    ]);
    expect(problemsOf({ GRPC_ORCHESTRATOR_ADDR: 'localhost', REST_ORCHESTRATOR_ADDR: 'a:1,b:2', PORT: 'web', CONCURRENCY: '0' })).toEqual([
      'GRPC_ORCHESTRATOR_ADDR: expected one host:port, got "localhost"',
      'REST_ORCHESTRATOR_ADDR: expected one host:port, got "a:1,b:2"',
      'PORT: expected an integer from 0 to 65535, got "web"',
      'CONCURRENCY: expected an integer from 1 to 256, got "0"',
    ]);
  });

  it('reads the orchestrators TLS files and token the way the pipeline client does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'web-config-'));
    try {
      await writeFile(join(dir, 'ca.pem'), 'CA');
      await writeFile(join(dir, 'token'), 'a-token-of-twenty-chars\n');
      await writeFile(join(dir, 'short'), 'short\n');
      const base = { GRPC_ORCHESTRATOR_ADDR: 'h:1', ORCHESTRATOR_TLS_CA_FILE: join(dir, 'ca.pem') };
      expect(loadWebConfig({ ...base, ORCHESTRATOR_AUTH_TOKEN_FILE: join(dir, 'token') }).security).toEqual({
        ca: Buffer.from('CA'),
        cert: undefined,
        key: undefined,
        token: 'a-token-of-twenty-chars',
      });
      expect(problemsOf({ ...base, ORCHESTRATOR_TLS_CERT_FILE: join(dir, 'ca.pem'), ORCHESTRATOR_AUTH_TOKEN_FILE: join(dir, 'short') })).toEqual([
        'ORCHESTRATOR_TLS_CERT_FILE and ORCHESTRATOR_TLS_KEY_FILE: expected both set, or neither',
        expect.stringMatching(/^ORCHESTRATOR_AUTH_TOKEN_FILE: expected a file whose first line is a token/),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
