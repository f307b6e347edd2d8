import { fileURLToPath } from 'node:url';
import { SERVICE_MALLOC_TUNABLES, type ClientSecurity, type Protocol, type StageServiceName } from '@imagepipeline/config';
import { startService, waitUntilReady, type RunningService } from '@imagepipeline/topology';

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.ts', import.meta.url));

/** How to start one echo stage (`echo-server.ts`) as its own process. */
export interface EchoStageOptions {
  name: string;
  protocol: Protocol;
  /** Where callers reach it. */
  host: string;
  port: number;
  /** Beyond protocol and address: a variant's settings, TLS and token files. */
  env: Record<string, string>;
  root: string;
  logDir: string;
  /** A network namespace to run it in, listening on every address there. */
  namespace?: string;
  /** How the readiness probe reaches it (TLS, a client certificate). */
  probeSecurity?: ClientSecurity;
}

/** Starts an echo stage with the services' malloc settings, as the stacks' processes get them, and waits until it is ready. */
export async function startEchoStage(options: EchoStageOptions): Promise<RunningService> {
  const node = [process.execPath, '--import', 'tsx', ECHO_SERVER];
  const [command, ...args] = options.namespace ? ['ip', 'netns', 'exec', options.namespace, ...node] : node;
  const service = await startService({
    name: options.name,
    command,
    args,
    cwd: options.root,
    logDir: options.logDir,
    env: {
      ...options.env,
      GLIBC_TUNABLES: SERVICE_MALLOC_TUNABLES,
      ECHO_PROTOCOL: options.protocol,
      HOST: options.namespace ? '0.0.0.0' : options.host,
      PORT: String(options.port),
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await waitUntilReady(options.protocol, `${options.host}:${options.port}`, 60_000, options.name, options.probeSecurity);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

/** Every stage's address set to the echo stage's, for a stage client that calls only `upload`. */
export function echoAddresses(address: string): Record<StageServiceName, string> {
  return { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address };
}
