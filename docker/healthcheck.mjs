#!/usr/bin/env node
// Container health check: exits 0 when the service in this container is ready, 1 when it is not.
//
//   node docker/healthcheck.mjs [grpc|rest] [port] [host] [--live]
//
// gRPC: grpc.health.v1.Health/Check for the whole server (service "") must answer SERVING.
// REST: GET /readyz must answer 200 (ready: models loaded), or with --live GET /healthz (the
// process answers: a liveness probe must not restart a pod that is still loading its model); over
// HTTP/2 when the container is a stage started with REST_STAGE_HTTP2=true. gRPC health has one
// status, so --live asks the same (a startup probe covers the model's loading there).
// Without arguments the protocol comes from $APP (e.g. classifier-grpc), the port from $PORT or
// else the app's default port, and the host is 127.0.0.1. The pipeline-cli image has no server:
// the check passes with a note, so a client job is never reported unhealthy.
//
// TLS: when TLS_CERT_FILE is set the port speaks TLS, and so does the check. The check is a client,
// and the service's own files are a server's (its certificate; the CA its callers chain to), so it
// has its own: HEALTHCHECK_TLS_CA_FILE, the CA that signed the service's certificate, and under
// mutual TLS (TLS_CLIENT_CA_FILE set) HEALTHCHECK_TLS_CERT_FILE and HEALTHCHECK_TLS_KEY_FILE, a
// client certificate the service accepts. Not the orchestrator's STAGE_TLS_*: a stage has none, and
// the orchestrator's own port may use another CA than its stages. The certificate's chain is
// checked, not its name: the check dials its own container, and the name is the one other machines use.
// No token: health and readiness are exempt.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 3000;
const LIVE_FLAG = '--live';

/** Default ports of the services (@imagepipeline/config DEFAULT_PORTS; a test keeps them equal). */
export const DEFAULT_PORTS = {
  grpc: { orchestrator: 50030, uploader: 50040, 'noise-reducer': 50041, 'background-remover': 50042, classifier: 50043 },
  rest: { orchestrator: 50051, uploader: 50060, 'noise-reducer': 50061, 'background-remover': 50062, classifier: 50063 },
};

/** Works out what to check from the arguments, falling back to $APP and $PORT. */
export function resolveTarget(argv, env) {
  const live = argv.includes(LIVE_FLAG);
  const [protocolArg, portArg, hostArg] = argv.filter((arg) => arg !== LIVE_FLAG);
  const app = env.APP ?? '';
  const match = /^(.+)-(grpc|rest)$/.exec(app);
  const protocol = protocolArg ?? match?.[2];
  if (protocol === undefined) {
    if (app === 'pipeline-cli') return { skip: `${app} is a job, not a server: nothing to check` };
    throw new Error(`usage: healthcheck.mjs grpc|rest [port] [host] [--live] (APP="${app}" names no protocol)`);
  }
  if (protocol !== 'grpc' && protocol !== 'rest') throw new Error(`protocol must be grpc or rest, got "${protocol}"`);
  const rawPort = portArg ?? (env.PORT || undefined) ?? DEFAULT_PORTS[protocol][match?.[1]];
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`port must be 1-65535, got "${rawPort}" (pass it, or set PORT)`);
  }
  const h2 = protocol === 'rest' && match?.[1] !== 'orchestrator' && /^(true|1|yes)$/i.test(env.REST_STAGE_HTTP2 ?? '');
  return { protocol, port, host: hostArg ?? '127.0.0.1', h2, live };
}

/** The check's TLS client options (see the top of this file), or undefined when the port speaks plain text. */
export function clientTls(env) {
  if (!env.TLS_CERT_FILE) return undefined;
  const ca = readNamed(env, 'HEALTHCHECK_TLS_CA_FILE', 'the CA that signed the service certificate (TLS_CERT_FILE is set)');
  if (!env.TLS_CLIENT_CA_FILE) return { ca };
  const why = 'the client certificate and key the check presents (TLS_CLIENT_CA_FILE is set: mutual TLS)';
  return { ca, cert: readNamed(env, 'HEALTHCHECK_TLS_CERT_FILE', why), key: readNamed(env, 'HEALTHCHECK_TLS_KEY_FILE', why) };
}

function readNamed(env, name, what) {
  if (!env[name]) throw new Error(`set ${name}: ${what}`);
  return readFileSync(env[name]);
}

/** Node's TLS options for the check: the chain is verified, the name is not (see the top of this file). */
function tlsOptions(tls) {
  return { ...tls, checkServerIdentity: () => undefined };
}

async function checkRest({ host, port, h2, live }, tls) {
  const path = live ? '/healthz' : '/readyz';
  const origin = `${tls ? 'https' : 'http'}://${host}:${port}`;
  const options = tls ? tlsOptions(tls) : {};
  const status = h2 ? await http2Status(origin, path, options) : await http1Status(`${origin}${path}`, options, tls !== undefined);
  if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
  return live ? 'live' : 'ready';
}

function http1Status(url, options, secure) {
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).get(url, { ...options, timeout: TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
  });
}

function http2Status(origin, path, options) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin, options);
    session.on('error', reject);
    const request = session.request({ ':path': path }, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    request.on('response', (headers) => resolve(headers[':status']));
    request.on('error', reject);
    request.on('close', () => session.close());
    request.resume();
  });
}

async function checkGrpc({ host, port }, tls) {
  // Resolved from /app/node_modules in the image (both are production dependencies).
  const require = createRequire(import.meta.url);
  const grpc = require('@grpc/grpc-js');
  const { service } = require('grpc-health-check');
  const Health = grpc.makeGenericClientConstructor(service, 'Health');
  const credentials = tls
    ? grpc.credentials.createSsl(tls.ca, tls.key ?? null, tls.cert ?? null, { checkServerIdentity: () => undefined })
    : grpc.credentials.createInsecure();
  // A name for SNI: grpc-js would send the IP address, which TLS forbids (and Node warns about).
  const options = tls ? { 'grpc.ssl_target_name_override': 'localhost' } : {};
  const client = new Health(`${host}:${port}`, credentials, options);
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

function label(target, tls) {
  const http2Name = tls ? 'h2' : 'h2c';
  const security = tls ? (tls.cert ? ', mutual TLS' : ', TLS') : '';
  return `${target.protocol}${target.h2 ? ` (${http2Name})` : ''}${security} ${target.host}:${target.port}`;
}

async function main() {
  const target = resolveTarget(process.argv.slice(2), process.env);
  if (target.skip) {
    console.log(target.skip);
    return;
  }
  const tls = clientTls(process.env);
  const state = target.protocol === 'grpc' ? await checkGrpc(target, tls) : await checkRest(target, tls);
  console.log(`${label(target, tls)} ${state}`);
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
