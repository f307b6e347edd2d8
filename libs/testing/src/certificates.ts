import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

/** A certificate authority of our own: signs the certificates below. */
export interface Authority {
  certPem: string;
  key: forge.pki.rsa.PrivateKey;
  subject: forge.pki.CertificateField[];
}

/** A certificate and its private key, PEM. */
export interface Issued {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 86_400_000;

function keyPair(): forge.pki.rsa.KeyPair {
  // Node's key generation (native) rather than forge's pure-JavaScript one, which takes seconds.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey, notBefore: Date, notAfter: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial of 16 random bytes (the high bit cleared), unique per certificate.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  return cert;
}

/** A new self-signed CA valid for `days` from a minute ago. */
export function makeAuthority(commonName: string, days = 30): Authority {
  const keys = keyPair();
  const cert = newCertificate(keys.publicKey, new Date(Date.now() - 60_000), new Date(Date.now() + days * DAY_MS));
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), key: keys.privateKey, subject };
}

/**
 * A certificate `authority` signs, for servers (`hosts`: DNS names and IP addresses it answers as)
 * and clients alike; valid from `notBefore` to `notAfter` (default: a minute ago to 30 days on; an
 * expired one for tests has both in the past).
 */
export function issueCertificate(
  authority: Authority,
  options: { commonName: string; hosts?: readonly string[]; notBefore?: Date; notAfter?: Date },
): Issued {
  const keys = keyPair();
  const { notBefore = new Date(Date.now() - 60_000), notAfter = new Date(Date.now() + 30 * DAY_MS) } = options;
  const cert = newCertificate(keys.publicKey, notBefore, notAfter);
  cert.setSubject([{ name: 'commonName', value: options.commonName }]);
  cert.setIssuer(authority.subject);
  const altNames = (options.hosts ?? []).map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(authority.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** A random bearer token (base64url, 32 bytes). */
export function makeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Where {@link writeLocalCredentials} put each file. */
export interface CredentialFiles {
  /** The CA that signed both certificates: servers check clients against it, clients check servers. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The bearer token every service requires and every client sends. */
  token: string;
}

/**
 * Throwaway credentials for a run on one machine (`npm start -- --tls`) or a test: a CA, one server
 * certificate for `hosts` that every service uses, one client certificate and a token, written to
 * `dir` (private keys and the token readable by the owner only). Made fresh each time, never kept.
 * A test that needs more certificates from the same CA (an expired one) passes its own `authority`.
 */
export async function writeLocalCredentials(
  dir: string,
  hosts: readonly string[] = ['localhost', '127.0.0.1'],
  authority: Authority = makeAuthority('image-pipeline local CA'),
): Promise<CredentialFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const server = issueCertificate(authority, { commonName: 'image-pipeline service', hosts });
  const client = issueCertificate(authority, { commonName: 'image-pipeline client' });
  const files: CredentialFiles = {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client-key.pem'),
    token: join(dir, 'token'),
  };
  await writeFile(files.ca, authority.certPem);
  await writeFile(files.serverCert, server.certPem);
  await writeFile(files.serverKey, server.keyPem, { mode: 0o600 });
  await writeFile(files.clientCert, client.certPem);
  await writeFile(files.clientKey, client.keyPem, { mode: 0o600 });
  await writeFile(files.token, `${makeToken()}\n`, { mode: 0o600 });
  return files;
}
