// TLS, mutual TLS and bearer tokens on the REST services, over HTTP/1.1 and HTTP/2: good clients
// are served; each bad credential is refused with the protocol's own answer, and the service stays up.
import type { ClientSecurity, ServerSecurity } from '@imagepipeline/config';
import { PipelineErrorCode, type Image } from '@imagepipeline/contracts';
import { catchPipelineError } from '@imagepipeline/imaging/testing';
import { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import { FakeStageClient } from '@imagepipeline/pipeline/testing';
import { issueCertificate, makeAuthority, makeToken } from '@imagepipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestOrchestratorClient } from './rest-orchestrator-client';
import { buildOrchestratorRestServer, buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';
import { RestStageClient } from './rest-stage-client';
import { runStageRestServer } from './run-rest-server';
import { fakeNoiseReducer, testServerConfig, untilCalled } from './testing/rest-test-kit';
import { tlsRefusal, tlsRequest, type TestTlsOptions } from './testing/tls-test-clients';

const DAY_MS = 86_400_000;
/** The stage's certificate names it only by this name: the stage client must check it, not the IP it resolves to. */
const STAGE_HOST = 'noise-reducer.test';

const authority = makeAuthority('pipeline test CA');
const ca = Buffer.from(authority.certPem);
const stageCertificate = issueCertificate(authority, { commonName: 'noise reducer', hosts: [STAGE_HOST] });
const orchestratorCertificate = issueCertificate(authority, { commonName: 'orchestrator', hosts: ['127.0.0.1'] });
const client = issueCertificate(authority, { commonName: 'a client' });
const stranger = issueCertificate(makeAuthority('another CA'), { commonName: 'a stranger' });
const expired = issueCertificate(authority, { commonName: 'a lapsed client', notBefore: new Date(Date.now() - 2 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) });
const token = makeToken();

const clientSecurity: ClientSecurity = { ca, cert: Buffer.from(client.certPem), key: Buffer.from(client.keyPem), token };
const goodTls: TestTlsOptions = { ca, cert: client.certPem, key: client.keyPem, servername: STAGE_HOST };
const withToken = (sent: string) => ({ authorization: `Bearer ${sent}` });
const image: Image = { data: Buffer.from('pixels'), format: 'png', width: 2, height: 1, channels: 0, fileName: 'a.png' };

/** TLS with `certificate` and the token; mutual TLS too when a client CA is given. */
function serverSecurity(certificate: { certPem: string; keyPem: string }, clientCa?: Buffer): ServerSecurity {
  return { tls: { cert: Buffer.from(certificate.certPem), key: Buffer.from(certificate.keyPem), clientCa }, token };
}

/** The orchestrator's client with every stage at `address` (the tests call only the noise reducer). */
function stageClient(address: string, options: { http2: boolean; security: ClientSecurity }): RestStageClient {
  return new RestStageClient({
    addresses: { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address },
    // The stage's name resolves to loopback, as a service name would to a replica's address.
    replicas: { resolveHost: async () => ['127.0.0.1'] },
    retries: 0,
    ...options,
  });
}

describe.each([
  { protocol: 'HTTP/1.1', h2c: false },
  { protocol: 'HTTP/2', h2c: true },
])('a stage over $protocol with TLS, mutual TLS and a token', ({ h2c }) => {
  const runtime = fakeNoiseReducer();
  const alpn = h2c ? 'h2' : 'http/1.1';
  let server: RunningRestServer;
  let stages: RestStageClient;
  const get = (path: string, headers: Record<string, string> = {}) => tlsRequest(server.url, h2c, goodTls, { path, headers });
  const post = (headers: Record<string, string>) =>
    tlsRequest(server.url, h2c, goodTls, { method: 'POST', path: '/v1/reduce-noise', headers: { 'content-type': 'image/png', ...headers }, body: image.data });

  beforeAll(async () => {
    // One place, no queue: a request that took a place would be seen as a 429 for the next.
    const config = testServerConfig('noise-reducer', { h2c, security: serverSecurity(stageCertificate, ca), maxConcurrent: 1, maxQueued: 0 });
    server = await startRestServer(await buildStageRestServer(runtime, config), config);
    stages = stageClient(`${STAGE_HOST}:${server.port}`, { http2: h2c, security: clientSecurity });
  });
  afterAll(async () => {
    await stages.close();
    await server.close();
  });

  it('serves the orchestrator’s stage client, which checks the certificate against the stage’s name', async () => {
    expect(server.url).toMatch(/^https:\/\//);
    const answer = await stages.reduceNoise(image, AbortSignal.timeout(5_000));
    expect(answer.image).toMatchObject({ format: 'png', width: 2, height: 1 });
    expect(runtime.calls.at(-1)?.image?.data.toString()).toBe('pixels');
  });

  it.each([
    { credential: 'no client certificate', tls: { ca, servername: STAGE_HOST }, refusal: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' },
    { credential: 'a certificate from another CA', tls: { ...goodTls, cert: stranger.certPem, key: stranger.keyPem }, refusal: 'closed' },
    { credential: 'an expired certificate', tls: { ...goodTls, cert: expired.certPem, key: expired.keyPem }, refusal: 'closed' },
  ])('ends the TLS handshake of a client with $credential, and serves a good client right after', async ({ tls, refusal }) => {
    expect(await tlsRefusal(server.url, alpn, tls)).toBe(refusal);
    await expect(tlsRequest(server.url, h2c, tls, { path: '/healthz' })).rejects.toThrow();
    expect((await get('/healthz')).status).toBe(200);
  });

  it.each([
    { refuser: 'the stage (the client’s certificate is from another CA)', security: { ...clientSecurity, cert: Buffer.from(stranger.certPem), key: Buffer.from(stranger.keyPem) } },
    { refuser: 'the client (the stage’s certificate is not from its CA)', security: { ...clientSecurity, ca: Buffer.from(makeAuthority('a CA of no one').certPem) } },
  ])('fails a stage client’s calls with STAGE_UNAVAILABLE when $refuser refuses the handshake', async ({ security }) => {
    const refused = stageClient(`${STAGE_HOST}:${server.port}`, { http2: h2c, security });
    const error = await catchPipelineError(refused.reduceNoise(image, AbortSignal.timeout(5_000)));
    await refused.close();
    expect(error.code).toBe(PipelineErrorCode.STAGE_UNAVAILABLE);
  });

  it('answers 401 without a bearer token and 403 with another, before admission: its one place stays taken by the held call', async () => {
    runtime.hold();
    const held = stages.reduceNoise(image, AbortSignal.timeout(5_000));
    await untilCalled(runtime);
    try {
      const missing = await post({});
      expect(missing.status).toBe(401);
      expect(missing.json.error).toBe(PipelineErrorCode.UNAUTHENTICATED);
      expect(missing.wwwAuthenticate).toBe('Bearer realm="noise-reducer"');
      const wrong = await post(withToken(makeToken()));
      expect(wrong.status).toBe(403);
      expect(wrong.json.error).toBe(PipelineErrorCode.PERMISSION_DENIED);
      // With the token, the same request reaches admission and finds the place taken.
      expect((await post(withToken(token))).status).toBe(429);
    } finally {
      runtime.release();
    }
    await held;
  });

  it('answers /healthz and /readyz without a token; /metrics and unknown routes need it', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', withToken(token))).status).toBe(200);
    expect((await get('/nowhere')).status).toBe(401);
  });

  it('drops plain HTTP sent to its TLS port, and keeps serving TLS clients', async () => {
    await expect(fetch(server.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
    expect((await get('/metrics', withToken(token))).status).toBe(200);
  });

  it('lets a call in flight finish when it shuts down', async () => {
    const held = fakeNoiseReducer();
    held.hold();
    const config = testServerConfig('noise-reducer', { h2c, security: serverSecurity(stageCertificate, ca) });
    const service = await runStageRestServer(held, config, { signals: [] });
    const client = stageClient(`${STAGE_HOST}:${service.server.port}`, { http2: h2c, security: clientSecurity });
    const call = client.reduceNoise(image, AbortSignal.timeout(5_000));
    await untilCalled(held);
    const shutdown = service.shutdown();
    await expect.poll(() => service.server.app.server.listening).toBe(false);
    held.release();
    expect((await call).image?.data.toString()).toBe('pixels');
    await shutdown;
    await client.close();
    expect(held.closed).toBe(true);
  });
});

describe('the orchestrator over TLS (no client certificate required) with a token, and the pipeline client', () => {
  let server: RunningRestServer;
  const closeables: { close(): Promise<void> }[] = [];
  const address = () => `127.0.0.1:${server.port}`;

  beforeAll(async () => {
    const orchestrator = new Orchestrator(new FakeStageClient());
    const jobs = new JobStore(orchestrator, { ttlMs: 60_000 });
    const config = testServerConfig('orchestrator', { security: serverSecurity(orchestratorCertificate) });
    server = await startRestServer(await buildOrchestratorRestServer(orchestrator, jobs, config), config);
    closeables.push(jobs, orchestrator);
  });
  afterAll(async () => {
    await server.close();
    for (const resource of closeables) await resource.close();
  });

  it('runs an image through RestOrchestratorClient with the CA and the token', async () => {
    const pipeline = new RestOrchestratorClient(address(), { security: { ca, token }, pollIntervalMs: 10 });
    closeables.push(pipeline);
    const result = await pipeline.process(image, { topK: 1, includeIntermediates: false });
    expect(result.label).toBe('label-of(pixels|uploaded|denoised)');
    expect(result.processedImage?.data.length).toBeGreaterThan(0);
  });

  it.each([
    { credential: 'no token', sent: undefined, code: PipelineErrorCode.UNAUTHENTICATED },
    { credential: 'another token', sent: makeToken(), code: PipelineErrorCode.PERMISSION_DENIED },
  ])('gives the pipeline client $code for $credential', async ({ sent, code }) => {
    const pipeline = new RestOrchestratorClient(address(), { security: { ca, token: sent } });
    closeables.push(pipeline);
    const error = await catchPipelineError(pipeline.process(image, { topK: 1, includeIntermediates: false }));
    expect(error.code).toBe(code);
  });
});
