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

  // Admission happens before the body is read, so waiting requests hold no image in memory.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.guarded !== true) return;
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
 * Bounds the work of routes marked `config: { guarded: true }`: `maxConcurrent` run, `maxQueued`
 * wait in order, and one more is refused at once with 429 QUEUE_FULL and a `Retry-After` estimate.
 * A slot is held until the answer is sent or the client goes away.
 */
export const concurrencyGuardPlugin = fp(plugin, { name: '@imagepipeline/rest-concurrency-guard', fastify: '5.x' });
