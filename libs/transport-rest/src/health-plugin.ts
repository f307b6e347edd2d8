import { errorBodyJsonSchema, PipelineErrorCode, REST_ROUTES } from '@imagepipeline/contracts';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

export interface HealthOptions {
  /** Names the service in answers. */
  service: string;
  /** True when what the server fronts can serve (a stage's model is loaded, ...). */
  isReady: () => boolean;
}

/** The server's readiness: what `/readyz` answers, and the switch graceful shutdown turns. */
export interface Readiness {
  /** True once `drain()` was called. */
  readonly draining: boolean;
  /** Marks the server as shutting down: `/readyz` answers 503 from now on. */
  drain(): void;
  isReady(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

const statusSchema = {
  type: 'object',
  required: ['status', 'service'],
  properties: { status: { type: 'string' }, service: { type: 'string' } },
} as const;

const plugin: FastifyPluginAsync<HealthOptions> = async (fastify, { service, isReady }) => {
  let draining = false;
  const readiness: Readiness = {
    get draining() {
      return draining;
    },
    drain: () => {
      draining = true;
    },
    isReady: () => !draining && isReady(),
  };
  fastify.decorate('readiness', readiness);

  fastify.addHook('preClose', async () => {
    draining = true;
  });
  // HTTP/1.1: while draining, each answer closes its keep-alive connection, and on close every
  // connection without a request in flight is cut (Node keeps one that never sent a request open),
  // so closing waits for in-flight requests only, never for clients to hang up. (An h2c server
  // ends its sessions itself: each takes no new streams and closes after its last.)
  if (!fastify.initialConfig.http2) {
    fastify.addHook('onSend', async (_request, reply) => {
      if (draining) reply.header('connection', 'close');
    });
    const connections = trackConnections(fastify);
    fastify.addHook('preClose', async () => connections.closeUnused());
  }

  fastify.get(REST_ROUTES.health, {
    logLevel: 'warn',
    schema: { response: { 200: statusSchema } },
    handler: async () => ({ status: 'live', service }),
  });

  fastify.get(REST_ROUTES.ready, {
    logLevel: 'warn',
    schema: { response: { 200: statusSchema, 503: errorBodyJsonSchema } },
    handler: async (_request, reply) => {
      if (readiness.isReady()) return { status: 'ready', service };
      const why = draining ? 'is shutting down' : 'is starting (loading its model)';
      return reply.code(503).send({ error: PipelineErrorCode.STAGE_UNAVAILABLE, message: `${service} ${why}` });
    },
  });
};

/** Counts requests in flight per connection, so connections with none can be closed. */
function trackConnections(fastify: FastifyInstance): { closeUnused(): void } {
  const open = new Set<Socket>();
  const inFlight = new WeakMap<Socket, number>();
  // A request carries the socket it came on: over HTTPS the TLS socket, which the server hands out
  // once its handshake is done (one still in its handshake ends by the handshake timeout).
  const opened = fastify.server instanceof TlsServer ? 'secureConnection' : 'connection';
  fastify.server.on(opened, (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  fastify.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    if (!open.has(socket)) return; // injected requests have no real connection
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    reply.raw.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
  });
  return {
    closeUnused: () => {
      for (const socket of open) if (!inFlight.get(socket)) socket.destroy();
    },
  };
}

/** `/healthz` (live: the process answers) and `/readyz` (ready: 200 when it can serve, else 503). */
export const healthPlugin = fp(plugin, { name: '@imagepipeline/rest-health', fastify: '5.x' });
