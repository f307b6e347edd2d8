import type { ClientSecurity } from '@imagepipeline/config';
import { writeLocalCredentials, type Authority } from '@imagepipeline/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A local topology with mutual TLS and tokens: what the services, the client and the readiness probes get. */
export interface LocalTls {
  /** Every service's environment: its certificate, the CA its callers' certificates must chain to, its token; and the orchestrator's for its stages. */
  env: Record<string, string>;
  /** The pipeline client's flags. */
  clientArgs: string[];
  /** How readiness probes reach the services. */
  probes: ClientSecurity;
  /** Removes the credentials. */
  remove(): Promise<void>;
}

/**
 * Makes fresh throwaway credentials for one run on this machine (`npm start -- --tls`, the
 * network-namespace run with `--tls`): a CA, one server certificate for `hosts` that every service
 * uses, one client certificate that the orchestrator and the pipeline client present, and one token
 * every service requires. They live in a private temporary folder and are removed afterwards;
 * nothing is kept or committed. `authority` signs them (a fresh CA by default; a test that issues
 * more certificates from it, such as an expired one, passes its own).
 */
export async function prepareLocalTls(hosts: readonly string[] = ['localhost', '127.0.0.1'], authority?: Authority): Promise<LocalTls> {
  const dir = await mkdtemp(join(tmpdir(), 'image-pipeline-tls-'));
  const files = await writeLocalCredentials(dir, hosts, authority);
  const [ca, cert, key] = await Promise.all([readFile(files.ca), readFile(files.clientCert), readFile(files.clientKey)]);
  return {
    env: {
      TLS_CERT_FILE: files.serverCert,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.ca,
      AUTH_TOKEN_FILE: files.token,
      STAGE_TLS_CA_FILE: files.ca,
      STAGE_TLS_CERT_FILE: files.clientCert,
      STAGE_TLS_KEY_FILE: files.clientKey,
      STAGE_AUTH_TOKEN_FILE: files.token,
    },
    clientArgs: ['--tls-ca', files.ca, '--tls-cert', files.clientCert, '--tls-key', files.clientKey, '--token-file', files.token],
    probes: { ca, cert, key },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
