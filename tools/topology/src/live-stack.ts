import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROTOCOLS, type Protocol, type ServiceName } from '@imagepipeline/config';
import { LOCAL_HOSTS, planServices } from './service-plan';
import { startService, type RunningService } from './service-process';
import { abortion, startServices, type StartedServices } from './with-services';

export interface LiveStackOptions {
  /** Repository root: the built apps are in `dist/apps/<app>/main.mjs` below it. */
  root: string;
  /** Each service's log, and the web server's (`web.log`), go here. */
  logDir: string;
  /** The local topologies to start; default both. */
  protocols?: readonly Protocol[];
  /** Each protocol's service ports; default their usual ones (`DEFAULT_PORTS`). */
  ports?: Partial<Record<Protocol, Record<ServiceName, number>>>;
  /** The web server's port (0: any free one); default 8080. */
  webPort?: number;
  webHost?: string;
  /** More environment for the web server (`LOG_LEVEL`, `KEEP_RUNS`, ...). */
  webEnv?: Record<string, string>;
  readinessTimeoutMs?: number;
  log?: (line: string) => void;
  /** Every process in a process group of its own (see `StartOptions.detached`): for a runner that stops them itself on Ctrl-C. */
  detached?: boolean;
  /** Stops starting: whatever was started is stopped and the start rejects with the abort reason. */
  signal?: AbortSignal;
}

/** The page's server in front of one or two running local topologies. */
export interface LiveStack {
  /** The page, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** Each started protocol's orchestrator, `host:port`. */
  orchestrators: Partial<Record<Protocol, string>>;
  web: RunningService;
  /** Every service process, of every protocol. */
  services: RunningService[];
  /** Resolves with the web server's exit code if it ends by itself. */
  webExited: Promise<number | null>;
  /** Stops the web server, then every service; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the built services of each protocol (side by side, each waiting until ready), then the
 * built web app (`dist/apps/web/main.mjs`) given their orchestrators, and waits until it listens.
 * Whatever fails, what was started is stopped before the error is thrown. Build first:
 * `nx run-many -t build -p <the protocols' apps> web`.
 */
export async function startLiveStack(options: LiveStackOptions): Promise<LiveStack> {
  const { root, logDir, protocols = PROTOCOLS, webPort = 8080, webHost = '127.0.0.1' } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const plans = protocols.map((protocol) => ({ protocol, services: planServices(protocol, LOCAL_HOSTS, { ports: options.ports?.[protocol] }) }));
  const orchestrators = Object.fromEntries(
    plans.map(({ protocol, services }) => {
      const orchestrator = services.find((plan) => plan.service === 'orchestrator')!;
      return [protocol, `${orchestrator.host}:${orchestrator.port}`];
    }),
  ) as Partial<Record<Protocol, string>>;

  // One topology that cannot start stops the other starting too.
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  const starting = plans.map(({ protocol, services }) =>
    startServices({ protocol, services, root, logDir, log, readinessTimeoutMs: options.readinessTimeoutMs, detached: options.detached, signal }).catch(
      (error: unknown) => {
        failed.abort(error);
        throw error;
      },
    ),
  );
  const settled = await Promise.allSettled(starting);
  const topologies = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopServices = async () => {
    // gRPC and REST stacks are independent: stop them side by side, each in reverse start order.
    await Promise.all(topologies.splice(0).map((started: StartedServices) => started.stop()));
  };
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stopServices();
    throw failure.reason;
  }

  let web: RunningService | undefined;
  try {
    options.signal?.throwIfAborted();
    // The log is appended to run after run: only what this run writes counts.
    const logOffset = (await stat(join(logDir, 'web.log')).catch(() => undefined))?.size ?? 0;
    web = await startService({
      name: 'web',
      command: process.execPath,
      args: [join(root, 'dist/apps/web/main.mjs')],
      env: {
        PORT: String(webPort),
        HOST: webHost,
        // Both set, one perhaps empty (unset for the app): nothing comes from this process's environment.
        GRPC_ORCHESTRATOR_ADDR: orchestrators.grpc ?? '',
        REST_ORCHESTRATOR_ADDR: orchestrators.rest ?? '',
        ...options.webEnv,
      },
      logDir,
      cwd: root,
      detached: options.detached,
    });
    const listening = waitUntilListening(web, logOffset, options.readinessTimeoutMs ?? 30_000);
    const url = await (options.signal ? Promise.race([listening, abortion(options.signal)]) : listening);
    log(`web ready at ${url}`);
    const running = web;
    let stopping: Promise<void> | undefined;
    return {
      url,
      orchestrators,
      web: running,
      services: topologies.flatMap((started) => started.services),
      webExited: running.exited,
      stop: () =>
        (stopping ??= (async () => {
          const code = await running.stop();
          if (code !== 0) log(`warning: web exited with ${code}; see ${running.logFile}`);
          await stopServices();
        })()),
    };
  } catch (error) {
    await web?.stop();
    await stopServices();
    throw error;
  }
}

/**
 * Waits for the web server's `listening` log line after `logOffset` (it knows its port, also when given 0) and
 * answers its URL; throws when it exits first, with the end of its log, or after `timeoutMs`.
 */
async function waitUntilListening(web: RunningService, logOffset: number, timeoutMs: number): Promise<string> {
  let exitCode: number | null | undefined;
  void web.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = (await readFile(web.logFile).catch(() => Buffer.alloc(0))).subarray(logOffset).toString('utf8');
    const address = listeningAddress(text);
    if (address) return address;
    if (exitCode !== undefined) throw new Error(`web exited with ${exitCode} before it listened:\n${lastLines(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`web did not listen within ${timeoutMs} ms; see ${web.logFile}`);
}

/** The address of the last `listening` line of a pino log, if any (the log is appended to across runs). */
export function listeningAddress(log: string): string | undefined {
  let address: string | undefined;
  for (const line of log.split('\n')) {
    if (!line.includes('"listening"')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; address?: string };
      if (entry.msg === 'listening' && entry.address) address = entry.address;
    } catch {
      // not a log line of ours
    }
  }
  return address;
}

function lastLines(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
