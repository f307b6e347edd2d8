import { setTimeout as delay } from 'node:timers/promises';
import { flushTraces } from '@imagepipeline/telemetry';
import type { ServiceLog } from './service-logger';

/** Something a service owns and closes on shutdown: a stage runtime, an orchestrator, a client. */
export interface Closeable {
  close(): Promise<void>;
}

/** Work accepted before shutdown that outlives its call (jobs): served until done, within the grace. */
export interface Drainable {
  drain(): Promise<void>;
}

/** A transport's part of a shutdown. */
export interface ServingTransport {
  /** Readiness and health turn to not serving; new work is refused from now on. */
  stopAdmitting(): void;
  /** Stops accepting calls; resolves once the calls in flight have finished. */
  close(): Promise<void>;
  /** Cuts the calls still in flight: the grace period is over. */
  cut(): void;
}

/** What a graceful shutdown stops, and how long it may take. */
export interface ShutdownPlan {
  transport: ServingTransport;
  graceMs: number;
  drains?: readonly Drainable[];
  /** Closed in order after the transport, within what is left of the grace period. */
  resources?: readonly Closeable[];
  logger: ServiceLog;
}

/** How long the server stays open after the last drained job's result was collected. */
const FOLLOW_UP_READS_MS = 500;
/** How long sending the last spans may take (an exporter that does not answer cannot hold the exit). */
const TRACE_FLUSH_MS = 2000;

/**
 * Readiness turns off and new work is refused; accepted work that outlives its call drains while
 * the transport still answers reads of it; then the transport stops accepting and lets in-flight
 * calls finish. Whatever is left when `graceMs` is over is cut: calls first, then the resources
 * close, in order, within what is left of the grace period.
 */
export async function shutDownGracefully({ transport, graceMs, drains = [], resources = [], logger }: ShutdownPlan): Promise<void> {
  const deadline = Date.now() + graceMs;
  const left = () => Math.max(0, deadline - Date.now());
  transport.stopAdmitting();
  if (drains.length > 0) {
    if (await settlesWithin(Promise.all(drains.map((work) => work.drain())), graceMs)) {
      // Reads that follow the one that collected a result (its intermediates) arrive in this time.
      await delay(Math.min(FOLLOW_UP_READS_MS, left()));
    } else {
      logger.warn({ graceMs }, 'grace period over: accepted jobs not finished or not collected are lost');
    }
  }
  const closed = transport.close();
  if (!(await settlesWithin(closed, left()))) {
    logger.warn({ graceMs }, 'grace period over: cutting the calls still in flight');
    transport.cut();
    await closed;
  }
  for (const resource of resources) {
    const done = resource.close().catch((error: unknown) => logger.error({ err: error }, 'closing a resource failed'));
    if (!(await settlesWithin(done, left()))) logger.warn('grace period over: a resource did not finish closing');
  }
  // The last calls' spans, when tracing: the process exits next.
  await settlesWithin(flushTraces(), TRACE_FLUSH_MS);
  logger.info('shut down');
}

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
