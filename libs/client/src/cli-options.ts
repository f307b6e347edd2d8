import { ORCHESTRATOR_SERVICE } from '@imagepipeline/contracts';
import { parseArgs } from 'node:util';
import type { SecurityFiles } from './client-security';

export type Protocol = 'grpc' | 'rest';
export type Topology = 'local' | 'distributed';

/** The pipeline client's options, validated. */
export interface ClientOptions {
  protocol: Protocol;
  topology: Topology;
  /** Folders and files to send. */
  inputs: string[];
  /** Images in flight at once. */
  concurrency: number;
  /** `host:port` of the orchestrator. */
  orchestrator: string;
  /** Results go to `<out>/<topology>/<protocol>/`. */
  out: string;
  topK: number;
  /** Print the summary as JSON instead of a table. */
  json: boolean;
  /** TLS and token files for the orchestrator: TLS when a CA is given. */
  security: SecurityFiles;
  help: boolean;
}

export const DEFAULT_ORCHESTRATOR: Record<Protocol, string> = {
  grpc: `127.0.0.1:${ORCHESTRATOR_SERVICE.defaultPorts.grpc}`,
  rest: `127.0.0.1:${ORCHESTRATOR_SERVICE.defaultPorts.rest}`,
};

export const USAGE = `Usage: pipeline [options]

Sends images through the orchestrator and writes results to <out>/<topology>/<protocol>/.

Options:
  --protocol grpc|rest        protocol to the orchestrator (default grpc)
  --topology local|distributed  label for the results folder (default local)
  --input DIR|FILE            folder or file to send; repeat for more (default samples)
  --concurrency N             images in flight at once, 1-256 (default 8)
  --orchestrator HOST:PORT    orchestrator address (default 127.0.0.1:50030 gRPC, 127.0.0.1:50051 REST)
  --out DIR                   results root (default results)
  --top-k N                   predictions per image, 1-1000 (default 5)
  --tls-ca FILE               PEM CA that signed the orchestrator's certificate: connect over TLS
  --tls-cert FILE             PEM client certificate, with --tls-key, for mutual TLS (needs --tls-ca)
  --tls-key FILE              PEM private key of --tls-cert
  --token-file FILE           file whose first line is the bearer token the orchestrator requires
  --json                      print the summary as JSON
  --help                      show this help
`;

/** Thrown for bad command-line input; the message is meant for the user as it is. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses and validates command-line arguments; throws UsageError naming the bad option. */
export function parseClientOptions(argv: readonly string[]): ClientOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        protocol: { type: 'string', default: 'grpc' },
        topology: { type: 'string', default: 'local' },
        input: { type: 'string', multiple: true },
        concurrency: { type: 'string', default: '8' },
        orchestrator: { type: 'string' },
        out: { type: 'string', default: 'results' },
        'top-k': { type: 'string', default: '5' },
        json: { type: 'boolean', default: false },
        'tls-ca': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'token-file': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const protocol = oneOf('--protocol', values.protocol, ['grpc', 'rest'] as const);
  return {
    protocol,
    topology: oneOf('--topology', values.topology, ['local', 'distributed'] as const),
    inputs: [...(values.input ?? []), ...positionals].length > 0 ? [...(values.input ?? []), ...positionals] : ['samples'],
    concurrency: integer('--concurrency', values.concurrency, 1, 256),
    orchestrator: address(values.orchestrator ?? DEFAULT_ORCHESTRATOR[protocol]),
    out: values.out,
    topK: integer('--top-k', values['top-k'], 1, 1000),
    json: values.json,
    security: securityFiles(values),
    help: values.help,
  };
}

function securityFiles(values: { 'tls-ca'?: string; 'tls-cert'?: string; 'tls-key'?: string; 'token-file'?: string }): SecurityFiles {
  const files = { ca: values['tls-ca'], cert: values['tls-cert'], key: values['tls-key'], token: values['token-file'] };
  if ((files.cert === undefined) !== (files.key === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (files.cert !== undefined && files.ca === undefined) throw new UsageError('--tls-cert needs --tls-ca (a client certificate is only sent over TLS)');
  return files;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function address(value: string): string {
  if (!/^[\w.-]+:\d{1,5}$|^\[[\da-fA-F:]+\]:\d{1,5}$/.test(value)) {
    throw new UsageError(`--orchestrator must be host:port, got "${value}"`);
  }
  return value;
}
