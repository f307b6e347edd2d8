import { REST_ROUTES } from '@imagepipeline/contracts';
import type { ServiceMetrics } from '@imagepipeline/serving';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface MetricsOptions {
  /** The server's metrics, which the routes and the guard record into. */
  metrics: ServiceMetrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServiceMetrics;
  }
}

/** The status recorded for a request whose client went away before the answer (nginx's 499). */
const CLIENT_CLOSED = '499';

const plugin: FastifyPluginAsync<MetricsOptions> = async (fastify, { metrics }) => {
  fastify.decorate('metrics', metrics);

  fastify.addHook('onRequest', async (request, reply) => {
    const done = metrics.startCall();
    onceAnswered(reply, () => done(methodLabel(request), statusLabel(reply)));
  });

  fastify.get(REST_ROUTES.metrics, {
    logLevel: 'warn',
    schema: { response: { 200: { type: 'string' } } },
    handler: async (_request, reply) => reply.type(metrics.contentType).send(await metrics.scrape()),
  });
};

/**
 * Records every request into the serving core's {@link ServiceMetrics} (method `POST /v1/classify`,
 * code the HTTP status, 499 when the client left) and serves them at `/metrics`.
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

function methodLabel(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? 'unmatched'}`;
}

function statusLabel(reply: FastifyReply): string {
  return reply.raw.writableFinished || reply.raw.headersSent ? String(reply.raw.statusCode) : CLIENT_CLOSED;
}
