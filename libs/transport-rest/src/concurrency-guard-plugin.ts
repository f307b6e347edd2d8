import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { StageQueue, type StageQueueStats } from '@imagepipeline/pipeline';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { onceAnswered } from './metrics-plugin';

export interface ConcurrencyGuardOptions {
  /** Names the guard in 429 messages and queue metrics. */
  name: string;
  /** Guarded requests handled at once. */
  maxConcurrent: number;
  /** Guarded requests allowed to wait; one more is answered 429 with `Retry-After`. */
  maxQueued: number;
}

/** The guard's queue, for metrics. */
export interface ConcurrencyGuard {
  stats(): StageQueueStats;
}

declare module 'fastify' {
  interface FastifyInstance {
    concurrencyGuard: ConcurrencyGuard;
  }
  interface FastifyContextConfig {
    /** Route runs under the concurrency guard (the image routes). */
    guarded?: boolean;
  }
}

/** A wait has no deadline of its own: the client's timeout and disconnect end it. */
const NO_DEADLINE_MS = 2 ** 31 - 1;

const plugin: FastifyPluginAsync<ConcurrencyGuardOptions> = async (fastify, options) => {
  const queue = new StageQueue({
    name: options.name,
    concurrency: options.maxConcurrent,
    capacity: options.maxQueued,
    deadlineMs: NO_DEADLINE_MS,
  });
  fastify.decorate('concurrencyGuard', { stats: () => queue.stats() });

  // A request that comes during shutdown, or finds the queue full, is refused before its body is read.
  fastify.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.guarded !== true) return;
    if (fastify.readiness.draining) throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, `${options.name}: shutting down, no new work`);
    const refusal = queue.refusalIfFull();
    if (refusal) throw refusal;
  });

  // Admission comes after the whole request has arrived (a multipart image is read here first), so
  // a client that never finishes its body holds its connection until the request timeout, never a
  // work slot.
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.guarded !== true) return;
    if (request.isMultipart()) await request.readImageInput();
    const gone = new AbortController();
    const onClose = () => gone.abort(new PipelineError(PipelineErrorCode.DEADLINE_EXCEEDED, 'client went away'));
    reply.raw.once('close', onClose);
    await new Promise<void>((admitted, refused) => {
      const holdSlot = () =>
        new Promise<void>((release) => {
          reply.raw.off('close', onClose);
          onceAnswered(reply, release);
          if (reply.raw.destroyed || reply.raw.writableFinished) release();
          admitted();
        });
      queue.enqueue(holdSlot, { signal: gone.signal }).catch(refused);
    });
  });

  fastify.addHook('onClose', async () => {
    await queue.close();
  });
};

/**
 * Bounds the work of routes marked `config: { guarded: true }` (routes that take an image):
 * `maxConcurrent` run, `maxQueued` wait in order, and one more is refused at once with 429
 * QUEUE_FULL and a `Retry-After` estimate. A request is admitted once it has fully arrived, and
 * holds its slot until the answer is sent or the client goes away.
 */
export const concurrencyGuardPlugin = fp(plugin, {
  name: '@imagepipeline/rest-concurrency-guard',
  fastify: '5.x',
  dependencies: ['@imagepipeline/rest-health', '@imagepipeline/rest-image-input'],
});
