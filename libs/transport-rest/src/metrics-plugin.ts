import { REST_ROUTES } from '@imagepipeline/contracts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One bounded queue's counters at scrape time (an `AdmissionStats` fits). */
export interface QueueSample {
  name: string;
  concurrency: number;
  capacity: number;
  waiting: number;
  running: number;
  rejected: number;
}

export interface MetricsOptions {
  /** Set as the `service` label on every metric. */
  service: string;
  /** The queues to report, read at each scrape. */
  queues?: () => Iterable<QueueSample>;
  /** Collect Node's process metrics too (default true). */
  processMetrics?: boolean;
}

/** The server's own metrics registry (never prom-client's global one). */
export interface RestMetrics {
  readonly registry: Registry;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: RestMetrics;
  }
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** The status recorded for a request whose client went away before the answer (nginx's 499). */
const CLIENT_CLOSED = '499';

const plugin: FastifyPluginAsync<MetricsOptions> = async (fastify, options) => {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being handled', registers: [registry] });
  if (options.queues) registerQueueGauges(registry, options.queues);

  fastify.decorate('metrics', { registry });

  fastify.addHook('onRequest', async (request, reply) => {
    inFlight.inc();
    const startedAt = process.hrtime.bigint();
    onceAnswered(reply, () => {
      inFlight.dec();
      const labels = { method: request.method, route: routeLabel(request), status_code: statusLabel(reply) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
  });

  fastify.get(REST_ROUTES.metrics, {
    logLevel: 'warn',
    schema: { response: { 200: { type: 'string' } } },
    handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  });
};

/**
 * Prometheus metrics at `/metrics` from a registry of this server's own: request count and
 * duration by route and status, requests in flight, queue gauges, Node process metrics.
 */
export const metricsPlugin = fp(plugin, { name: '@imagepipeline/rest-metrics', fastify: '5.x' });

/** Calls `callback` once when the answer is finished or the connection closed, whichever is first. */
export function onceAnswered(reply: FastifyReply, callback: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    reply.raw.off('finish', once);
    reply.raw.off('close', once);
    callback();
  };
  reply.raw.once('finish', once);
  reply.raw.once('close', once);
}

function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

function statusLabel(reply: FastifyReply): string {
  return reply.raw.writableFinished || reply.raw.headersSent ? String(reply.raw.statusCode) : CLIENT_CLOSED;
}

function registerQueueGauges(registry: Registry, queues: () => Iterable<QueueSample>): void {
  const fields = {
    waiting: 'Tasks waiting for a worker',
    running: 'Tasks running',
    capacity: 'Tasks allowed to wait',
    concurrency: 'Workers',
    rejected: 'Tasks refused because the queue was full, since start',
  } as const;
  for (const [field, help] of Object.entries(fields) as [keyof typeof fields, string][]) {
    new Gauge({
      name: `imagepipeline_queue_${field}`,
      help,
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        this.reset();
        for (const queue of queues()) this.set({ queue: queue.name }, queue[field]);
      },
    });
  }
}
