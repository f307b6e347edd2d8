import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { Admission, AdmissionStats } from '@imagepipeline/serving';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { onceAnswered } from './metrics-plugin';

export interface ConcurrencyGuardOptions {
  /** The server's admission (the serving core's, as on gRPC); closed with the server. */
  admission: Admission;
}

/** The guard's queue, for metrics. */
export interface ConcurrencyGuard {
  stats(): AdmissionStats;
}

declare module 'fastify' {
  interface FastifyInstance {
    concurrencyGuard: ConcurrencyGuard;
  }
  interface FastifyRequest {
    /**
     * A guarded request's work signal: aborts when the client goes away before its answer (the
     * connection closed), so the work stops; set once the request is admitted.
     */
    callSignal: AbortSignal;
  }
  interface FastifyContextConfig {
    /** Route runs under the concurrency guard (the image routes). */
    guarded?: boolean;
  }
}

const plugin: FastifyPluginAsync<ConcurrencyGuardOptions> = async (fastify, { admission: queue }) => {
  fastify.decorate('concurrencyGuard', { stats: () => queue.stats() });
  fastify.decorateRequest('callSignal', undefined as unknown as AbortSignal);

  // A request that comes during shutdown, or finds the queue full, is refused before its body is read.
  fastify.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.guarded !== true) return;
    if (fastify.readiness.draining) throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, `${queue.options.name}: shutting down, no new work`);
    const refusal = queue.refusalIfFull(declaredBytes(request));
    if (refusal) throw refusal;
  });

  // Admission comes after the whole request has arrived (a multipart image is read here first), so
  // a client that never finishes its body holds its connection until the request timeout, never a
  // work slot.
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.guarded !== true) return;
    if (request.isMultipart()) await request.readImageInput();
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort(new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, 'the client went away before its answer'));
    });
    await new Promise<void>((admitted, refused) => {
      const holdSlot = (signal: AbortSignal) =>
        new Promise<void>((release) => {
          request.callSignal = signal;
          onceAnswered(reply, release);
          if (reply.raw.destroyed || reply.raw.writableFinished) release();
          admitted();
        });
      queue.enqueue(holdSlot, { signal: gone.signal, bytes: declaredBytes(request) }).catch(refused);
    });
  });

  fastify.addHook('onClose', async () => {
    await queue.close();
  });
};

/** The request body's size as its client declared it (none for a chunked body): what a waiting request holds. */
function declaredBytes(request: FastifyRequest): number {
  const length = Number(request.headers['content-length']);
  return Number.isSafeInteger(length) && length > 0 ? length : 0;
}

/**
 * Bounds the work of routes marked `config: { guarded: true }` (routes that take an image):
 * `maxConcurrent` run, `maxQueued` wait in order, and one more is refused at once with 429
 * QUEUE_FULL and a `Retry-After` estimate. A request is admitted once it has fully arrived, and
 * holds its slot until the answer is sent or the client goes away; its handler's work follows
 * `request.callSignal`.
 */
export const concurrencyGuardPlugin = fp(plugin, {
  name: '@imagepipeline/rest-concurrency-guard',
  fastify: '5.x',
  dependencies: ['@imagepipeline/rest-health', '@imagepipeline/rest-image-input', '@imagepipeline/rest-bearer-token'],
});
