import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { restErrorReply } from './http-errors';

export interface RestErrorsOptions {
  /** Named in the message of a 413. */
  maxImageBytes?: number;
}

const plugin: FastifyPluginAsync<RestErrorsOptions> = async (fastify, options) => {
  fastify.setErrorHandler((error, request, reply) => {
    const { statusCode, body, retryAfterSeconds } = restErrorReply(error, options);
    // The call's log line keeps the full message; the client's may have had internal details taken out.
    request.callError = error instanceof Error ? error.message : String(error);
    if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
    return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  });

  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
};

/**
 * Answers every error as `{ error: <PipelineErrorCode>, message }` with the status of the one
 * table (`HTTP_STATUS_BY_ERROR_CODE`), a `Retry-After` on 429, and unknown routes as 404 NOT_FOUND.
 */
export const restErrorsPlugin = fp(plugin, { name: '@imagepipeline/rest-errors', fastify: '5.x', dependencies: ['@imagepipeline/rest-call-log'] });
