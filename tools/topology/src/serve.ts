// `npm run serve`: build the apps, start the local topology of both protocols (or one), start the
// live web page's server in front of them, say where everything is, and run until Ctrl-C; then stop
// the web server, then the services, and exit 0.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, PROTOCOLS, type Protocol } from '@imagepipeline/config';
import { REST_ROUTES } from '@imagepipeline/contracts';
import { startLiveStack, type LiveStack } from './live-stack';
import { LOCAL_HOSTS, planServices } from './service-plan';

const USAGE = `usage: npm run serve [-- --protocol grpc|rest] [--port N] [--host HOST]

Builds the apps, starts the five services of each protocol on 127.0.0.1 (their usual ports), and
the live web page in front of them; runs until Ctrl-C, then stops everything.

  --protocol grpc|rest   only this protocol's services (default both, side by side)
  --port N               the web page's port (default 8080)
  --host HOST            the web page's address to listen on (default 127.0.0.1)
  --help                 show this help
`;

const root = fileURLToPath(new URL('../../..', import.meta.url));
const values = parseCommandLine(USAGE, {
  protocol: { type: 'string' },
  port: { type: 'string', default: '8080' },
  host: { type: 'string', default: '127.0.0.1' },
});
const protocols = parseProtocols(values.protocol);
const port = parsePort(values.port);
const logDir = join(root, 'results/logs/serve');

const apps = protocols.flatMap((protocol) => planServices(protocol, LOCAL_HOSTS).map((plan) => plan.app));
// The pipeline client too: the orchestrators can be called with it while the page runs.
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...apps, 'web', 'pipeline-cli', '--outputStyle=static'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (build.status !== 0) process.exit(build.status ?? 1);

// From here on a signal stops whatever is running, once; a signal repeated meanwhile (npm and tsx
// pass the terminal's Ctrl-C on too) changes nothing.
const stopRequested = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (stopRequested.signal.aborted) return;
  process.stderr.write(`\n${signal}: stopping the web server, then the services…\n`);
  stopRequested.abort(new Error(`stopped by ${signal}`));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

let stack: LiveStack;
try {
  stack = await startLiveStack({
    root,
    logDir,
    protocols,
    webPort: port,
    webHost: values.host,
    detached: true,
    signal: stopRequested.signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  if (stopRequested.signal.aborted) {
    process.stderr.write('stopped before everything had started\n');
    process.exit(0);
  }
  process.stderr.write(`npm run serve: ${(error as Error).message}\nLogs: ${relative(process.cwd(), logDir) || '.'}/\n`);
  process.exit(1);
}

process.stdout.write(describe(stack));
const webEnded = stack.webExited.then((code) => code);
const ended = await Promise.race([
  webEnded,
  new Promise<'stop'>((resolve) => stopRequested.signal.addEventListener('abort', () => resolve('stop'), { once: true })),
]);
if (ended !== 'stop') process.stderr.write(`the web server exited by itself with ${ended}; see ${stack.web.logFile}\n`);
await stack.stop();
process.stderr.write('stopped\n');
process.exit(ended === 'stop' ? 0 : 1);

function describe({ url, orchestrators }: LiveStack): string {
  const lines = [`\nLive page: ${url}\n`, 'Orchestrators, to call directly:'];
  if (orchestrators.grpc) {
    lines.push(`  gRPC  ${orchestrators.grpc}    npm run pipeline -- --protocol grpc --orchestrator ${orchestrators.grpc} --input samples`);
  }
  if (orchestrators.rest) {
    lines.push(
      `  REST  http://${orchestrators.rest}    curl -F image=@samples/coffee.png http://${orchestrators.rest}${REST_ROUTES.pipeline}`,
      `        (or: npm run pipeline -- --protocol rest --orchestrator ${orchestrators.rest} --input samples)`,
    );
  }
  lines.push(`Logs: ${relative(process.cwd(), logDir) || '.'}/`, 'Ctrl-C stops everything.', '');
  return `${lines.join('\n')}\n`;
}

function parseProtocols(value: string | undefined): Protocol[] {
  if (value === undefined) return [...PROTOCOLS];
  if (value === 'grpc' || value === 'rest') return [value];
  return usageError(`--protocol: expected grpc or rest, got "${value}"`);
}

function parsePort(value: string): number {
  const parsed = Number(value);
  if (/^\d{1,5}$/.test(value) && parsed <= 65535) return parsed;
  return usageError(`--port: expected a port from 0 to 65535, got "${value}"`);
}

function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}
