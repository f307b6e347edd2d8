import type { ServiceLog } from './service-logger';
import { shutDownGracefully, type ShutdownPlan } from './graceful-shutdown';

/** How a service process ends: 0 after a clean shutdown, 1 when it could not start or stop cleanly. */
export const EXIT_CODES = { stopped: 0, failed: 1 } as const;

/** A started transport, and what its shutdown stops. */
export interface StartedService<S> {
  server: S;
  /** Where it listens, for the log. */
  address: string;
  /** What its graceful shutdown stops. */
  stops: Omit<ShutdownPlan, 'logger'>;
}

export interface RunServiceOptions<S> {
  logger: ServiceLog;
  /** Binds the transport; a failure (a port in use) ends the process with 1. */
  start(): Promise<StartedService<S>>;
  /** Resolves once the service can work (its model loaded); a rejection ends the process with 1. */
  ready?: Promise<unknown>;
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT); a second one exits at once with 1. */
  signals?: readonly NodeJS.Signals[];
  /** Ends the process (default `process.exit`); tests pass their own. */
  exit?: (code: number) => void;
}

/** A running service; `shutdown()` is what a signal starts, without the exit. */
export interface RunningService<S> {
  server: S;
  shutdown(): Promise<void>;
}

/**
 * Runs a service as its process's main job, the same for both protocols: starts it and logs where,
 * logs `ready` (or why not, and exits 1), and on SIGTERM or SIGINT shuts down gracefully and exits 0.
 */
export async function runService<S>(options: RunServiceOptions<S>): Promise<RunningService<S>> {
  const { logger, signals = ['SIGTERM', 'SIGINT'], exit = (code: number) => process.exit(code) } = options;
  const started = await options.start().catch((error: unknown) => {
    logger.error({ err: error }, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
    exit(EXIT_CODES.failed);
    throw error;
  });
  logger.info({ address: started.address }, 'listening');

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= shutDownGracefully({ ...started.stops, logger }).finally(() => {
      for (const signal of signals) process.off(signal, onSignal);
    });
    return stopping;
  };
  const stopThenExit = (code: number) =>
    shutdown().then(
      () => exit(code),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(EXIT_CODES.failed);
      },
    );
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(EXIT_CODES.failed);
      return;
    }
    logger.info({ signal }, 'shutting down');
    void stopThenExit(EXIT_CODES.stopped);
  };
  for (const signal of signals) process.on(signal, onSignal);

  // A model that cannot load will not load later: say why and exit, so a supervisor sees it at once.
  (options.ready ?? Promise.resolve()).then(
    () => logger.info('ready'),
    (error: unknown) => {
      logger.error({ err: error }, `exiting: start-up failed: ${error instanceof Error ? error.message : String(error)}`);
      void stopThenExit(EXIT_CODES.failed);
    },
  );
  return { server: started.server, shutdown };
}
