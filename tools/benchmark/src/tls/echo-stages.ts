import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tls from 'node:tls';
import { tokenFromFile, type ClientSecurity, type Protocol } from '@imagepipeline/config';
import type { StageClient } from '@imagepipeline/pipeline';
import { writeLocalCredentials } from '@imagepipeline/testing';
import type { RunningService } from '@imagepipeline/topology';
import { GrpcStageClient } from '@imagepipeline/transport-grpc';
import { RestStageClient } from '@imagepipeline/transport-rest';
import { echoAddresses, startEchoStage } from '../echo-stage';
import { SECURITY_SETTINGS, TLS_PROTOCOLS, type NegotiatedTls, type SecuritySetting } from './samples';

/** What a service of a setting is started with, and what its callers present. */
interface SettingCredentials {
  env: Record<string, string>;
  client: ClientSecurity;
}

/** One echo stage of a protocol and security setting. */
export interface SecuredEcho {
  protocol: Protocol;
  security: SecuritySetting;
  address: string;
  service: RunningService;
  clientSecurity: ClientSecurity;
}

const HOST = '127.0.0.1';

/**
 * Fresh throwaway credentials in `dir` (a CA, a server certificate for 127.0.0.1, a client
 * certificate, a token), as `npm start -- --tls` makes them; what each setting needs of them.
 */
async function credentialsOf(dir: string): Promise<Record<SecuritySetting, SettingCredentials>> {
  const files = await writeLocalCredentials(dir);
  const [ca, cert, key, token] = await Promise.all([files.ca, files.clientCert, files.clientKey, files.token].map((file) => readFile(file)));
  const serverTls = { TLS_CERT_FILE: files.serverCert, TLS_KEY_FILE: files.serverKey };
  return {
    plain: { env: {}, client: {} },
    tls: { env: serverTls, client: { ca } },
    mtls: { env: { ...serverTls, TLS_CLIENT_CA_FILE: files.ca, AUTH_TOKEN_FILE: files.token }, client: { ca, cert, key, token: tokenFromFile(token) } },
  };
}

/**
 * Starts an echo stage per protocol and security setting: gRPC on basePort…+2, REST binary on
 * basePort+10…+12. Stop them with {@link stopEchoStages}.
 */
export async function startSecuredEchoStages(options: { root: string; workDir: string; basePort: number }): Promise<SecuredEcho[]> {
  const credentials = await credentialsOf(join(options.workDir, 'credentials'));
  const echoes: SecuredEcho[] = [];
  try {
    for (const [p, protocol] of TLS_PROTOCOLS.entries()) {
      for (const [s, security] of SECURITY_SETTINGS.entries()) {
        const port = options.basePort + 10 * p + s;
        const { env, client } = credentials[security];
        const service = await startEchoStage({
          name: `echo-${protocol}-${security}`, protocol, host: HOST, port, env, root: options.root, logDir: join(options.workDir, 'logs'), probeSecurity: client,
        });
        echoes.push({ protocol, security, address: `${HOST}:${port}`, service, clientSecurity: client });
      }
    }
  } catch (error) {
    await stopEchoStages(echoes);
    throw error;
  }
  return echoes;
}

export async function stopEchoStages(echoes: readonly SecuredEcho[]): Promise<void> {
  await Promise.all(echoes.map((echo) => echo.service.stop()));
}

/** The product's stage client for an echo stage: a new one opens a new connection on its first call. */
export function echoClient(echo: SecuredEcho): StageClient {
  const options = { addresses: echoAddresses(echo.address), retries: 0, security: echo.clientSecurity };
  return echo.protocol === 'grpc' ? new GrpcStageClient(options) : new RestStageClient({ ...options, encoding: 'binary' });
}

/** The version, cipher, ALPN protocol and server key a TLS echo stage negotiates with a client of its protocol. */
export function negotiatedTls(echo: SecuredEcho): Promise<NegotiatedTls> {
  const [host, port] = echo.address.split(':');
  const { ca, cert, key } = echo.clientSecurity;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(port), ca, cert, key, ALPNProtocols: [echo.protocol === 'grpc' ? 'h2' : 'http/1.1'] }, () => {
      const serverKey = socket.getPeerX509Certificate()?.publicKey;
      resolve({
        protocol: echo.protocol,
        version: socket.getProtocol() ?? 'unknown',
        cipher: socket.getCipher().standardName,
        alpn: socket.alpnProtocol || 'none',
        serverKey: `${serverKey?.asymmetricKeyType?.toUpperCase() ?? 'unknown'} ${serverKey?.asymmetricKeyDetails?.modulusLength ?? ''}`.trim(),
      });
      socket.destroy();
    });
    socket.once('error', reject);
  });
}
