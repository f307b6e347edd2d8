import { Server, ServerCredentials } from '@grpc/grpc-js';
import { issueCertificate, makeAuthority, type Issued } from '@imagepipeline/testing';
import { HealthImplementation } from 'grpc-health-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthcheck } from './healthcheck-run';

/** PEM files on disk, as a container holds them, and the server's certificate and key in memory. */
interface Credentials {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Another CA, and a client certificate it signed: neither side trusts the other's. */
  otherCa: string;
  otherClientCert: string;
  otherClientKey: string;
  server: { ca: Buffer; cert: Buffer; key: Buffer };
}

let dir = '';
let credentials: Credentials;

async function writeIssued(name: string, issued: Issued): Promise<[cert: string, key: string]> {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  await writeFile(cert, issued.certPem);
  await writeFile(key, issued.keyPem, { mode: 0o600 });
  return [cert, key];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'healthcheck-tls-'));
  const authority = makeAuthority('healthcheck test CA');
  const other = makeAuthority('another CA');
  // Named for the host other machines dial, not 127.0.0.1: the check verifies the chain only.
  const server = issueCertificate(authority, { commonName: 'uploader', hosts: ['uploader.pipeline.example'] });
  const [serverCert, serverKey] = await writeIssued('server', server);
  const [clientCert, clientKey] = await writeIssued('client', issueCertificate(authority, { commonName: 'healthcheck' }));
  const [otherClientCert, otherClientKey] = await writeIssued('other-client', issueCertificate(other, { commonName: 'stranger' }));
  const ca = join(dir, 'ca.pem');
  const otherCa = join(dir, 'other-ca.pem');
  await writeFile(ca, authority.certPem);
  await writeFile(otherCa, other.certPem);
  const inMemory = { ca: Buffer.from(authority.certPem), cert: Buffer.from(server.certPem), key: Buffer.from(server.keyPem) };
  credentials = { ca, serverCert, serverKey, clientCert, clientKey, otherCa, otherClientCert, otherClientKey, server: inMemory };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A container's environment when its service has TLS, mutual unless `mutual` is false, and the check's files. */
function containerEnv(app: string, port: string, overrides: Record<string, string> = {}, mutual = true): Record<string, string> {
  return {
    APP: app,
    PORT: port,
    TLS_CERT_FILE: credentials.serverCert,
    TLS_KEY_FILE: credentials.serverKey,
    ...(mutual && { TLS_CLIENT_CA_FILE: credentials.ca }),
    HEALTHCHECK_TLS_CA_FILE: credentials.ca,
    HEALTHCHECK_TLS_CERT_FILE: credentials.clientCert,
    HEALTHCHECK_TLS_KEY_FILE: credentials.clientKey,
    ...overrides,
  };
}

const strangerCertificate = () => ({ HEALTHCHECK_TLS_CERT_FILE: credentials.otherClientCert, HEALTHCHECK_TLS_KEY_FILE: credentials.otherClientKey });

async function startGrpc(server: Server, mutual: boolean): Promise<string> {
  new HealthImplementation({ '': 'SERVING' }).addToServer(server);
  const { ca, cert, key } = credentials.server;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], mutual), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return String(port);
}

async function listening(server: HttpsServer | Http2SecureServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

/** Server TLS options that require a client certificate from the test CA. */
const mutualTls = () => ({ ...credentials.server, requestCert: true, rejectUnauthorized: true });

describe('docker/healthcheck.mjs over TLS (TLS_CERT_FILE set)', () => {
  describe.each([
    ['mutual TLS', true],
    ['TLS', false],
  ] as const)('gRPC with %s', (name, mutual) => {
    const server = new Server();
    let port = '';
    const env = (overrides: Record<string, string> = {}) => containerEnv('uploader-grpc', port, overrides, mutual);

    beforeAll(async () => {
      port = await startGrpc(server, mutual);
    });
    afterAll(() => server.forceShutdown());

    it('passes with HEALTHCHECK_TLS_CA_FILE, although the certificate names another host', async () => {
      expect(await healthcheck([], env())).toEqual({ code: 0, output: `grpc, ${name} 127.0.0.1:${port} SERVING\n` });
    });

    it('fails when the service certificate does not chain to HEALTHCHECK_TLS_CA_FILE', async () => {
      const result = await healthcheck([], env({ HEALTHCHECK_TLS_CA_FILE: credentials.otherCa }));
      expect(result).toEqual({ code: 1, output: expect.stringContaining('self-signed certificate in certificate chain') });
    });

    it('fails, naming the variable, without HEALTHCHECK_TLS_CA_FILE', async () => {
      expect(await healthcheck([], env({ HEALTHCHECK_TLS_CA_FILE: '' }))).toEqual({ code: 1, output: expect.stringContaining('set HEALTHCHECK_TLS_CA_FILE') });
    });

    it('fails in plain text when TLS_CERT_FILE is not set: the check follows the service', async () => {
      expect((await healthcheck([], env({ TLS_CERT_FILE: '' }))).code).toBe(1);
    });
  });

  describe('gRPC with mutual TLS: the client certificate', () => {
    const server = new Server();
    let port = '';

    beforeAll(async () => {
      port = await startGrpc(server, true);
    });
    afterAll(() => server.forceShutdown());

    it('is required: without one the check says which variable to set', async () => {
      const result = await healthcheck([], containerEnv('uploader-grpc', port, { HEALTHCHECK_TLS_CERT_FILE: '' }));
      expect(result).toEqual({ code: 1, output: expect.stringContaining('set HEALTHCHECK_TLS_CERT_FILE') });
    });

    it('must come from the CA the service trusts', async () => {
      expect((await healthcheck([], containerEnv('uploader-grpc', port, strangerCertificate()))).code).toBe(1);
    });
  });

  describe('REST over HTTPS with mutual TLS', () => {
    let ready = false;
    let server: HttpsServer;
    let port = '';

    beforeAll(async () => {
      server = createServer(mutualTls(), (request, response) => {
        response.statusCode = { '/readyz': ready ? 200 : 503, '/healthz': 200 }[request.url ?? ''] ?? 404;
        response.end();
      });
      port = await listening(server);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('asks /readyz (503 fails, 200 passes), and /healthz with --live', async () => {
      const env = containerEnv('classifier-rest', port);
      ready = false;
      expect(await healthcheck([], env)).toEqual({ code: 1, output: expect.stringContaining('503') });
      expect((await healthcheck(['--live'], env)).code).toBe(0);
      ready = true;
      expect(await healthcheck([], env)).toEqual({ code: 0, output: expect.stringContaining('rest, mutual TLS') });
    });

    it('fails with a client certificate from another CA', async () => {
      ready = true;
      expect((await healthcheck([], containerEnv('classifier-rest', port, strangerCertificate()))).code).toBe(1);
    });
  });

  describe('REST stage over HTTP/2 with mutual TLS (REST_STAGE_HTTP2)', () => {
    let server: Http2SecureServer;
    let port = '';

    beforeAll(async () => {
      server = createSecureServer({ ...mutualTls(), allowHTTP1: false }, (request, response) => {
        response.statusCode = request.url === '/readyz' ? 200 : 404;
        response.end();
      });
      port = await listening(server);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('asks /readyz over h2 with the client certificate', async () => {
      const env = containerEnv('noise-reducer-rest', port, { REST_STAGE_HTTP2: 'true' });
      expect(await healthcheck([], env)).toEqual({ code: 0, output: expect.stringContaining('rest (h2), mutual TLS') });
    });
  });
});
