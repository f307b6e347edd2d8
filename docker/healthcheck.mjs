#!/usr/bin/env node
// Container health check: exits 0 when the service in this container is ready, 1 when it is not.
//
//   node docker/healthcheck.mjs [grpc|rest] [port] [host]
//
// gRPC: grpc.health.v1.Health/Check for the whole server (service "") must answer SERVING.
// REST: GET http://host:port/readyz must answer 200 (ready: models loaded); over h2c when the
// container is a stage started with REST_STAGE_HTTP2=true.
// Without arguments the protocol comes from $APP (e.g. classifier-grpc), the port from $PORT or
// else the app's default port, and the host is 127.0.0.1. The pipeline-cli image has no server:
// the check passes with a note, so a client job is never reported unhealthy.
import { createRequire } from 'node:module';
import http2 from 'node:http2';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 3000;

/** Default ports of the services (@imagepipeline/config DEFAULT_PORTS; a test keeps them equal). */
export const DEFAULT_PORTS = {
  grpc: { orchestrator: 50030, uploader: 50040, 'noise-reducer': 50041, 'background-remover': 50042, classifier: 50043 },
  rest: { orchestrator: 50051, uploader: 50060, 'noise-reducer': 50061, 'background-remover': 50062, classifier: 50063 },
};

/** Works out what to check from the arguments, falling back to $APP and $PORT. */
export function resolveTarget(argv, env) {
  const [protocolArg, portArg, hostArg] = argv;
  const app = env.APP ?? '';
  const match = /^(.+)-(grpc|rest)$/.exec(app);
  const protocol = protocolArg ?? match?.[2];
  if (protocol === undefined) {
    if (app === 'pipeline-cli') return { skip: `${app} is a job, not a server: nothing to check` };
    throw new Error(`usage: healthcheck.mjs grpc|rest [port] [host] (APP="${app}" names no protocol)`);
  }
  if (protocol !== 'grpc' && protocol !== 'rest') throw new Error(`protocol must be grpc or rest, got "${protocol}"`);
  const rawPort = portArg ?? (env.PORT || undefined) ?? DEFAULT_PORTS[protocol][match?.[1]];
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`port must be 1-65535, got "${rawPort}" (pass it, or set PORT)`);
  }
  const h2c = protocol === 'rest' && match?.[1] !== 'orchestrator' && /^(true|1|yes)$/i.test(env.REST_STAGE_HTTP2 ?? '');
  return { protocol, port, host: hostArg ?? '127.0.0.1', h2c };
}

async function checkRest(host, port, h2c) {
  const status = h2c ? await h2cStatus(host, port) : (await fetch(`http://${host}:${port}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).status;
  if (status !== 200) throw new Error(`GET /readyz answered ${status}`);
  return 'ready';
}

function h2cStatus(host, port) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${host}:${port}`);
    session.on('error', reject);
    const request = session.request({ ':path': '/readyz' }, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    request.on('response', (headers) => resolve(headers[':status']));
    request.on('error', reject);
    request.on('close', () => session.close());
    request.resume();
  });
}

async function checkGrpc(host, port) {
  // Resolved from /app/node_modules in the image (both are production dependencies).
  const require = createRequire(import.meta.url);
  const grpc = require('@grpc/grpc-js');
  const { service } = require('grpc-health-check');
  const Health = grpc.makeGenericClientConstructor(service, 'Health');
  const client = new Health(`${host}:${port}`, grpc.credentials.createInsecure());
  try {
    const reply = await new Promise((resolve, reject) => {
      client.Check({ service: '' }, { deadline: Date.now() + TIMEOUT_MS }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
    if (reply.status !== 'SERVING') throw new Error(`health status ${reply.status}`);
    return 'SERVING';
  } finally {
    client.close();
  }
}

async function main() {
  const target = resolveTarget(process.argv.slice(2), process.env);
  if (target.skip) {
    console.log(target.skip);
    return;
  }
  const state = target.protocol === 'grpc' ? await checkGrpc(target.host, target.port) : await checkRest(target.host, target.port, target.h2c);
  console.log(`${target.protocol}${target.h2c ? ' (h2c)' : ''} ${target.host}:${target.port} ${state}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error) => {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      console.error(`unhealthy: ${error.message}${cause}`);
      process.exit(1);
    },
  );
}
