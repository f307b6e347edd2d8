import { logCall, type CallOutcome } from '@imagepipeline/serving';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The full message of the error this request was answered with, for its call log line. */
    callError?: string;
  }
}

const plugin: FastifyPluginAsync = async (fastify) => {
  fastify.decorateRequest('callError', undefined);
  fastify.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const outcome: CallOutcome = status < 400 ? 'done' : status < 500 ? 'refused' : 'failed';
    const method = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    logCall(fastify.log, { method, status, ms: reply.elapsedTime, peer: request.ip, error: request.callError }, outcome);
  });
};

/** The serving core's one log line per call (Fastify's own request lines are off), as on gRPC. */
export const callLogPlugin = fp(plugin, { name: '@imagepipeline/rest-call-log', fastify: '5.x' });
