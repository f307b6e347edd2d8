import type { ServerConfig } from '@imagepipeline/config';
import type { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import type { FastifyInstance } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { isH2cServer } from './h2c-server';
import { buildOrchestratorRestServer, buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';

/** Something the process owns and closes on shutdown. */
export interface Closeable {
  close(): Promise<void>;
}

/** Work accepted before shutdown that the server keeps serving until it is done (within the grace). */
export interface Drainable {
  drain(): Promise<void>;
}

export interface RunOptions {
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT). */
  signals?: readonly NodeJS.Signals[];
  /** Ends the process after shutdown (default `process.exit`). */
  exit?: (code: number) => void;
  /** More resources to close after the server, in order (e.g. the stage client). */
  alsoClose?: readonly Closeable[];
}

/** A service that runs until a signal; `shutdown()` is what a signal starts, without the exit. */
export interface RunningRestService extends RunningRestServer {
  shutdown(): Promise<void>;
}

/** Runs a stage service's REST server until SIGTERM/SIGINT; owns and closes `runtime`. */
export async function runStageRestServer(
  runtime: AnyStageRuntime,
  config: ServerConfig,
  options: RunOptions = {},
): Promise<RunningRestService> {
  const app = await buildStageRestServer(runtime, config);
  const running = await runUntilSignalled(app, config, [runtime, ...(options.alsoClose ?? [])], options);
  // A model that cannot load will not load later: say why and exit, so a supervisor sees it at once.
  runtime.ready.then(
    () => app.log.info('ready'),
    (error: unknown) => {
      app.log.error({ err: error }, `exiting: start-up failed: ${(error as Error).message}`);
      void running.shutdown().finally(() => (options.exit ?? ((code: number) => process.exit(code)))(1));
    },
  );
  return running;
}

/** Runs the orchestrator's REST server until SIGTERM/SIGINT; owns and closes the job store and orchestrator. */
export async function runOrchestratorRestServer(
  orchestrator: Orchestrator,
  jobs: JobStore,
  config: ServerConfig,
  options: RunOptions = {},
): Promise<RunningRestService> {
  const app = await buildOrchestratorRestServer(orchestrator, jobs, config);
  return runUntilSignalled(app, config, [jobs, orchestrator, ...(options.alsoClose ?? [])], options, [jobs]);
}

async function runUntilSignalled(
  app: FastifyInstance,
  config: ServerConfig,
  resources: readonly Closeable[],
  options: RunOptions,
  drains: readonly Drainable[] = [],
): Promise<RunningRestService> {
  const running = await startRestServer(app, config);
  app.log.info({ url: running.url }, `${config.service} REST server listening`);
  const { signals = ['SIGTERM', 'SIGINT'], exit = (code: number) => process.exit(code) } = options;
  let shutdown: Promise<void> | undefined;
  const stop = () => {
    shutdown ??= gracefulShutdown(app, config.shutdownGraceMs, resources, drains).finally(() => {
      for (const signal of signals) process.off(signal, onSignal);
    });
    return shutdown;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown) {
      app.log.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    app.log.info({ signal }, 'shutting down');
    stop().then(
      () => exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return { ...running, shutdown: stop };
}

/**
 * `/readyz` turns 503 and new work is refused; accepted work that outlives its request (jobs)
 * drains while the server still answers reads of it; then the server stops accepting and lets
 * in-flight requests finish. Whatever is left when `graceMs` is over is cut: connections first,
 * then the resources close, in order, within what is left of the grace period.
 */
async function gracefulShutdown(app: FastifyInstance, graceMs: number, resources: readonly Closeable[], drains: readonly Drainable[]): Promise<void> {
  const deadline = Date.now() + graceMs;
  app.readiness.drain();
  if (drains.length > 0 && !(await settlesWithin(Promise.all(drains.map((work) => work.drain())), graceMs))) {
    app.log.warn({ graceMs }, 'grace period over: accepted jobs not finished or not collected are lost');
  } else if (drains.length > 0) {
    // Reads that follow the one that collected a result (its intermediates) arrive in this time.
    await delay(Math.min(FOLLOW_UP_READS_MS, Math.max(0, deadline - Date.now())));
  }
  const closed = app.close();
  if (!(await settlesWithin(closed, Math.max(0, deadline - Date.now())))) {
    app.log.warn({ graceMs }, 'grace period over: closing the remaining connections');
    if (isH2cServer(app.server)) app.server.destroyHttp2Sessions();
    else app.server.closeAllConnections();
    await closed;
  }
  for (const resource of resources) {
    const left = Math.max(0, deadline - Date.now());
    const done = resource.close().catch((error: unknown) => app.log.error({ err: error }, 'closing a resource failed'));
    if (!(await settlesWithin(done, left))) app.log.warn('grace period over: a resource did not finish closing');
  }
  app.log.info('shut down');
}

/** How long the server stays open after the last job result was collected. */
const FOLLOW_UP_READS_MS = 500;

/** True when `promise` settled within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  const settled = promise.then(
    () => true,
    () => true,
  );
  const timedOut = delay(ms, false, { signal: timeout.signal }).catch(() => false);
  const result = await Promise.race([settled, timedOut]);
  timeout.abort();
  return result;
}
