// TLS, mutual TLS and bearer tokens on a gRPC server: good clients are served, each bad credential
// is refused with gRPC's own answer, and the server goes on serving.
import { credentials, Metadata, status, type ChannelCredentials } from '@grpc/grpc-js';
import type { ClientSecurity } from '@imagepipeline/config';
import { ClassifierServiceClient, PipelineError, type ClassifyResponse, type Image, type ProcessResult } from '@imagepipeline/contracts';
import { issueCertificate, makeAuthority, makeToken, type Issued } from '@imagepipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcOrchestratorClient } from '../src/grpc-orchestrator-client';
import { startGrpcServer, type RunningGrpcServer } from '../src/grpc-server';
import { GrpcStageClient } from '../src/grpc-stage-client';
import { OrchestratorGrpcService } from '../src/orchestrator-service';
import { ClassifierGrpcService } from '../src/stage-services';
import { callUnary, checkHealth, failureOf, listServicesByReflection } from './support/grpc-calls';
import { deferred, testServerConfig } from './support/server-config';

const DAY_MS = 86_400_000;
const HOSTS = ['127.0.0.1', 'localhost'];

const authority = makeAuthority('test CA');
const serverCertificate = issueCertificate(authority, { commonName: 'stage', hosts: HOSTS });
const clientCertificate = issueCertificate(authority, { commonName: 'orchestrator' });
const foreignCertificate = issueCertificate(makeAuthority('another CA'), { commonName: 'orchestrator' });
const expiredCertificate = issueCertificate(authority, {
  commonName: 'orchestrator',
  notBefore: new Date(Date.now() - 3 * DAY_MS),
  notAfter: new Date(Date.now() - DAY_MS),
});
const token = makeToken();
const ca = Buffer.from(authority.certPem);

const image: Image = { data: Buffer.from('pixels'), format: 'png', width: 1, height: 1, fileName: 'a.png', channels: 0 };
const answer: ClassifyResponse = { label: 'golden retriever', topK: [], computeMs: 1 };
const result: ProcessResult = {
  fileName: 'a.png',
  processedImage: image,
  label: 'golden retriever',
  topK: [],
  timeline: [],
  receivedAtMs: 0,
  totalMs: 1,
  uploadId: 'id',
  uploadedImage: undefined,
  denoisedImage: undefined,
};

/** What the fake classifier waits for before it answers; nothing by default. */
let classifierGate: Promise<void> | undefined;
let classifierStarted = deferred();

/** A server on a free port with a fake classifier and orchestrator, one admission place, nothing queued. */
function startSecureServer(clientCa?: Buffer): Promise<RunningGrpcServer> {
  const tls = { cert: Buffer.from(serverCertificate.certPem), key: Buffer.from(serverCertificate.keyPem), clientCa };
  return startGrpcServer({
    config: testServerConfig({ maxConcurrent: 1, maxQueued: 0, security: { tls, token } }),
    services: [
      new ClassifierGrpcService({
        classify: async () => {
          classifierStarted.resolve();
          await classifierGate;
          return answer;
        },
      }),
      new OrchestratorGrpcService({ process: async () => result }),
    ],
  });
}

/** TLS trusting our CA, with `certificate` as the client's when given. */
function tlsTo(certificate?: Issued): ChannelCredentials {
  return certificate
    ? credentials.createSsl(ca, Buffer.from(certificate.keyPem), Buffer.from(certificate.certPem))
    : credentials.createSsl(ca);
}

/** One Classify call over `over`, with `authorization` as sent (none when undefined); the client is closed after. */
async function classifyOver(address: string, over: ChannelCredentials, authorization?: string): Promise<ClassifyResponse> {
  const client = new ClassifierServiceClient(address, over);
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  try {
    return await callUnary<ClassifyResponse>((done) => client.classify({ image, topK: 1 }, metadata, done));
  } finally {
    client.close();
  }
}

function stageClientTo(address: string, security: ClientSecurity): GrpcStageClient {
  return new GrpcStageClient({
    addresses: { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address },
    retries: 0,
    security,
  });
}

async function classifyThrough(client: GrpcStageClient): Promise<ClassifyResponse> {
  try {
    return await client.classify(image, 1, new AbortController().signal);
  } finally {
    await client.close();
  }
}

describe('a gRPC server with TLS and a bearer token', () => {
  let server: RunningGrpcServer;
  beforeAll(async () => {
    server = await startSecureServer();
  });
  afterAll(() => server.close());

  it('serves the stage client and the orchestrator client over TLS with the token', async () => {
    await expect(classifyThrough(stageClientTo(server.address, { ca, token }))).resolves.toMatchObject({ label: 'golden retriever' });
    const orchestrator = new GrpcOrchestratorClient(server.address, { security: { ca, token } });
    try {
      await expect(orchestrator.process(image, { topK: 1, includeIntermediates: false })).resolves.toMatchObject({ label: 'golden retriever' });
    } finally {
      await orchestrator.close();
    }
  });

  it('answers UNAUTHENTICATED without a token and PERMISSION_DENIED for another, with the pipeline code', async () => {
    expect(await failureOf(classifyOver(server.address, tlsTo()))).toMatchObject({
      code: status.UNAUTHENTICATED,
      pipelineCode: 'UNAUTHENTICATED',
    });
    expect(await failureOf(classifyOver(server.address, tlsTo(), 'Basic dXNlcjpwYXNz'))).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(await failureOf(classifyOver(server.address, tlsTo(), `Bearer ${makeToken()}`))).toMatchObject({
      code: status.PERMISSION_DENIED,
      pipelineCode: 'PERMISSION_DENIED',
    });
    const stages = stageClientTo(server.address, { ca, token: makeToken() });
    await expect(classifyThrough(stages)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('refuses a call without the token before admission: it never takes the one place', async () => {
    const gate = deferred();
    classifierGate = gate.promise;
    classifierStarted = deferred();
    const held = classifyOver(server.address, tlsTo(), `Bearer ${token}`);
    try {
      await classifierStarted.promise;
      expect(await failureOf(classifyOver(server.address, tlsTo()))).toMatchObject({ code: status.UNAUTHENTICATED });
      expect(await failureOf(classifyOver(server.address, tlsTo(), `Bearer ${makeToken()}`))).toMatchObject({ code: status.PERMISSION_DENIED });
      // The place is taken, so a call with the token is the one turned away.
      expect(await failureOf(classifyOver(server.address, tlsTo(), `Bearer ${token}`))).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    } finally {
      gate.resolve();
      classifierGate = undefined;
    }
    await expect(held).resolves.toMatchObject({ label: 'golden retriever' });
  });

  it('answers health and reflection without a token', async () => {
    expect(await checkHealth(server.address, '', tlsTo())).toBe('SERVING');
    expect(await listServicesByReflection(server.address, tlsTo())).toContain('imagepipeline.v1.ClassifierService');
  });

  it('fails a plain-text client at the connection and goes on serving TLS clients', async () => {
    expect(await failureOf(classifyOver(server.address, credentials.createInsecure(), `Bearer ${token}`))).toMatchObject({ code: status.UNAVAILABLE });
    await expect(classifyOver(server.address, tlsTo(), `Bearer ${token}`)).resolves.toMatchObject({ label: 'golden retriever' });
  });

  it('is not trusted by a client that trusts another CA', async () => {
    const otherCa = credentials.createSsl(Buffer.from(makeAuthority('another CA').certPem));
    expect(await failureOf(classifyOver(server.address, otherCa, `Bearer ${token}`))).toMatchObject({ code: status.UNAVAILABLE });
  });
});

describe('a gRPC server with mutual TLS', () => {
  let server: RunningGrpcServer;
  beforeAll(async () => {
    server = await startSecureServer(ca);
  });
  afterAll(() => server.close());

  const good = { ca, cert: Buffer.from(clientCertificate.certPem), key: Buffer.from(clientCertificate.keyPem), token };

  it('serves a client with a certificate our CA signed', async () => {
    await expect(classifyThrough(stageClientTo(server.address, good))).resolves.toMatchObject({ label: 'golden retriever' });
    expect(await checkHealth(server.address, '', tlsTo(clientCertificate))).toBe('SERVING');
  });

  it.each([
    ['no client certificate', undefined],
    ['a certificate from another CA', foreignCertificate],
    ['an expired certificate', expiredCertificate],
  ])('fails the handshake for %s, then serves a good client', async (_case, certificate) => {
    expect(await failureOf(classifyOver(server.address, tlsTo(certificate), `Bearer ${token}`))).toMatchObject({ code: status.UNAVAILABLE });
    await expect(classifyOver(server.address, tlsTo(clientCertificate), `Bearer ${token}`)).resolves.toMatchObject({ label: 'golden retriever' });
  });

  it('surfaces a refused handshake to the stage client as STAGE_UNAVAILABLE', async () => {
    const failure = classifyThrough(stageClientTo(server.address, { ca, token }));
    await expect(failure).rejects.toBeInstanceOf(PipelineError);
    await expect(failure).rejects.toMatchObject({ code: 'STAGE_UNAVAILABLE' });
  });
});
