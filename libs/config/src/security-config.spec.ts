import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './env-reader';
import { loadOrchestratorConfig, loadStageServiceConfig } from './service-config';

const dir = mkdtempSync(join(tmpdir(), 'security-config-'));
const file = (name: string, contents: string) => {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
};
const cert = file('cert.pem', '-----BEGIN CERTIFICATE-----\n...\n');
const key = file('key.pem', '-----BEGIN PRIVATE KEY-----\n...\n');
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n');
const token = file('token', 'a-token-of-enough-length-1234\nignored second line\n');

const problemsOf = (load: () => unknown): readonly string[] => {
  try {
    load();
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('security configuration', () => {
  it('is off unless the files are named', () => {
    expect(loadStageServiceConfig('classifier', 'grpc', {}).server.security).toEqual({});
    expect(loadOrchestratorConfig('rest', {}).stageSecurity).toEqual({});
  });

  it("reads a service's certificate, key, client CA and token from the files the variables name", () => {
    const { security } = loadStageServiceConfig('classifier', 'grpc', {
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      TLS_CLIENT_CA_FILE: ca,
      AUTH_TOKEN_FILE: token,
    }).server;
    expect(security.tls?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(security.tls?.key.toString()).toContain('BEGIN PRIVATE KEY');
    expect(security.tls?.clientCa?.toString()).toContain('ca');
    expect(security.token).toBe('a-token-of-enough-length-1234');
  });

  it("reads how the orchestrator reaches its stages", () => {
    const { stageSecurity } = loadOrchestratorConfig('grpc', {
      STAGE_TLS_CA_FILE: ca,
      STAGE_TLS_CERT_FILE: cert,
      STAGE_TLS_KEY_FILE: key,
      STAGE_AUTH_TOKEN_FILE: token,
    });
    expect(Object.keys(stageSecurity).sort()).toEqual(['ca', 'cert', 'key', 'token']);
    expect(stageSecurity.token).toBe('a-token-of-enough-length-1234');
  });

  it('names every variable that is wrong: a missing file, half a pair, a client CA without TLS, a short token', () => {
    expect(problemsOf(() => loadStageServiceConfig('uploader', 'rest', { TLS_CERT_FILE: join(dir, 'missing.pem') }))).toEqual([
      `TLS_CERT_FILE: expected a readable file (ENOENT), got "${join(dir, 'missing.pem')}"`,
    ]);
    expect(problemsOf(() => loadStageServiceConfig('uploader', 'rest', { TLS_CERT_FILE: cert }))).toEqual([
      'TLS_CERT_FILE and TLS_KEY_FILE: expected both set, or neither',
    ]);
    expect(problemsOf(() => loadStageServiceConfig('uploader', 'rest', { TLS_CLIENT_CA_FILE: ca }))).toEqual([
      'TLS_CLIENT_CA_FILE: expected TLS_CERT_FILE and TLS_KEY_FILE too (mutual TLS needs TLS)',
    ]);
    expect(problemsOf(() => loadStageServiceConfig('uploader', 'rest', { AUTH_TOKEN_FILE: file('short', 'abc\n') }))).toEqual([
      'AUTH_TOKEN_FILE: expected a file whose first line is a token of at least 16 visible ASCII characters',
    ]);
    expect(problemsOf(() => loadOrchestratorConfig('rest', { STAGE_TLS_CERT_FILE: cert, STAGE_TLS_KEY_FILE: key }))).toEqual([
      'STAGE_TLS_CERT_FILE: expected STAGE_TLS_CA_FILE too (a client certificate is only sent over TLS)',
    ]);
  });
});
