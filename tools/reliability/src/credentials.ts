// Bad credentials at services that require mutual TLS and a bearer token on every port: each is
// refused with the protocol's own answer (root README, "TLS, mutual TLS and tokens"), and right
// after it the service is still ready and serves a fully credentialed call; at the end, a valid
// image through the whole pipeline.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { SERVICE_NAMES, tokenFromFile, type ClientSecurity, type Protocol } from '@imagepipeline/config';
import type { Image } from '@imagepipeline/contracts';
import { issueCertificate, makeAuthority, makeToken, type Issued } from '@imagepipeline/testing';
import { prepareLocalTls, type LocalTls } from '@imagepipeline/topology';
import { makeGoodJpeg } from './cases';
import type { CaseResult } from './case-result';
import { callRestDirectly, callThroughClient, TARGET_CALL, type CallAnswer, type CredentialTarget } from './credential-calls';
import type { ServiceSet } from './service-set';

const DAY_MS = 86_400_000;

type ClientCertificate = Required<Pick<ClientSecurity, 'cert' | 'key'>>;

/** The run's credentials: what the services require, what a good caller presents, and the certificates bad callers present instead. */
export interface CredentialKit {
  /** The services' side, for `ServiceSet`'s `tls` (the set removes it when it stops). */
  tls: LocalTls;
  /** The CA, a client certificate it signed, and the token. */
  good: ClientSecurity;
  /** A client certificate another CA signed. */
  foreign: ClientCertificate;
  /** A client certificate the services' CA signed, expired since yesterday. */
  expired: ClientCertificate;
}

const asClientCertificate = ({ certPem, keyPem }: Issued): ClientCertificate => ({ cert: Buffer.from(certPem), key: Buffer.from(keyPem) });

/** Fresh throwaway credentials, in a private temporary folder. */
export async function makeCredentialKit(): Promise<CredentialKit> {
  const authority = makeAuthority('reliability CA');
  // The server certificate names 127.0.0.1: every service of a set listens there.
  const tls = await prepareLocalTls(['127.0.0.1'], authority);
  const lapsed = { notBefore: new Date(Date.now() - 2 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) };
  return {
    tls,
    good: { ...tls.probes, token: tokenFromFile(await readFile(tls.env.AUTH_TOKEN_FILE)) },
    foreign: asClientCertificate(issueCertificate(makeAuthority('another CA'), { commonName: 'a stranger' })),
    expired: asClientCertificate(issueCertificate(authority, { commonName: 'a lapsed client', ...lapsed })),
  };
}

/** A bad credential, and the protocol's own answer to it. */
export interface CredentialCase {
  id: string;
  /** What the caller presents instead of the good credentials. */
  sent(kit: CredentialKit): ClientSecurity;
  /** gRPC: the status, then the pipeline code the server sent. REST: the HTTP status and code, or how the TLS connection ended. */
  expected: Record<Protocol, string>;
}

// A failed handshake reaches a gRPC client as UNAVAILABLE, with no code from the server. Over REST,
// OpenSSL itself refuses a missing certificate with an alert; Node checks a presented one's chain
// and dates after the handshake, then closes the connection, as it does on plain text.
const CLOSED = 'connection closed';

export const CREDENTIAL_CASES: readonly CredentialCase[] = [
  {
    id: 'no client certificate',
    sent: ({ good }) => ({ ...good, cert: undefined, key: undefined }),
    expected: { grpc: 'UNAVAILABLE', rest: 'TLS alert: certificate required' },
  },
  { id: 'a certificate from another CA', sent: ({ good, foreign }) => ({ ...good, ...foreign }), expected: { grpc: 'UNAVAILABLE', rest: CLOSED } },
  { id: 'an expired certificate', sent: ({ good, expired }) => ({ ...good, ...expired }), expected: { grpc: 'UNAVAILABLE', rest: CLOSED } },
  { id: 'no token', sent: ({ good }) => ({ ...good, token: undefined }), expected: { grpc: 'UNAUTHENTICATED UNAUTHENTICATED', rest: '401 UNAUTHENTICATED' } },
  { id: 'a wrong token', sent: ({ good }) => ({ ...good, token: makeToken() }), expected: { grpc: 'PERMISSION_DENIED PERMISSION_DENIED', rest: '403 PERMISSION_DENIED' } },
  { id: 'plain text to the TLS port', sent: ({ good }) => ({ token: good.token }), expected: { grpc: 'UNAVAILABLE', rest: CLOSED } },
];

const TARGETS: readonly CredentialTarget[] = ['orchestrator', 'classifier'];

const describeAnswer = (call: CallAnswer) => (call.detail ? `${call.answer}: ${call.detail.slice(0, 160)}` : call.answer);

/**
 * Every case at the orchestrator and the classifier of `services` (started with `kit.tls`), each
 * followed by a readiness probe and a good call to the same service; then the end-to-end check.
 */
export async function checkCredentials(services: ServiceSet, kit: CredentialKit): Promise<CaseResult[]> {
  const { protocol } = services;
  const image: Image = { data: await makeGoodJpeg(), format: '', width: 0, height: 0, channels: 0, fileName: 'good.jpg' };
  const results: CaseResult[] = [];
  for (const target of TARGETS) {
    const address = services.address(target);
    for (const testCase of CREDENTIAL_CASES) {
      const sent = testCase.sent(kit);
      const refused = protocol === 'grpc' ? await callThroughClient(protocol, target, address, sent, image) : await callRestDirectly(target, address, sent, image);
      const ready = await services.isReady(target);
      const served = await callThroughClient(protocol, target, address, kit.good, image);
      const expected = testCase.expected[protocol];
      results.push({
        group: 'credentials',
        protocol,
        id: testCase.id,
        target: TARGET_CALL[target][protocol],
        expected: `${expected}; ready, and a good call served after`,
        actual: `${describeAnswer(refused)}${ready ? '' : ' — NOT READY AFTER'}${served.ok ? '' : ` — A GOOD CALL FAILED AFTER: ${describeAnswer(served)}`}`,
        pass: !refused.ok && refused.answer === expected && ready && served.ok,
      });
    }
  }
  results.push(await checkEndToEnd(services, kit.good, image));
  return results;
}

/** Every service ready, and a valid image through the whole pipeline with every credential: an RGBA PNG and a label. */
async function checkEndToEnd(services: ServiceSet, good: ClientSecurity, image: Image): Promise<CaseResult> {
  const { protocol } = services;
  const notReady: string[] = [];
  for (const service of SERVICE_NAMES) if (!(await services.isReady(service))) notReady.push(service);
  const call = await callThroughClient(protocol, 'orchestrator', services.address('orchestrator'), good, image);
  const png = call.processed ? await sharp(call.processed.data).metadata() : undefined;
  const processed = png ? `${png.format} ${png.channels}ch ${png.width}×${png.height}, label "${call.label ?? ''}"` : describeAnswer(call);
  return {
    group: 'credentials',
    protocol,
    id: 'a valid image end to end with every credential',
    target: TARGET_CALL.orchestrator[protocol],
    expected: 'OK: RGBA PNG, a label; every service ready',
    actual: `${call.answer}: ${processed}${notReady.length > 0 ? ` — NOT READY: ${notReady.join(', ')}` : ''}`,
    pass: call.ok && png?.format === 'png' && png.channels === 4 && !!call.label && notReady.length === 0,
  };
}
