import { PipelineErrorCode, REST_ROUTES } from '@imagepipeline/contracts';
import { bearerTokenRefusal } from '@imagepipeline/serving';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface BearerTokenOptions {
  /** Names the realm of a 401's `WWW-Authenticate`. */
  service: string;
  /** The token every request must carry; none: every request is let through. */
  token?: string;
}

/**
 * Routes any caller may reach: orchestrators and probes (Kubernetes, Compose) check liveness and
 * readiness without credentials, and the answers reveal nothing but up or down. `/metrics` is not
 * among them: it reveals load and queue depths, and Prometheus can send a bearer token.
 */
const OPEN_ROUTES: ReadonlySet<string> = new Set([REST_ROUTES.health, REST_ROUTES.ready]);

const plugin: FastifyPluginAsync<BearerTokenOptions> = async (fastify, { service, token }) => {
  if (token === undefined) return;
  // onRequest, before the concurrency guard's: a refused request never takes or waits for a place,
  // and its body is never read.
  fastify.addHook('onRequest', async (request, reply) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const refusal = bearerTokenRefusal(token, request.headers.authorization);
    if (!refusal) return;
    if (refusal.code === PipelineErrorCode.UNAUTHENTICATED) reply.header('www-authenticate', `Bearer realm="${service}"`);
    throw refusal;
  });
};

/**
 * Requires `authorization: Bearer <token>` on every route but `/healthz` and `/readyz` when the
 * service has a token: 401 UNAUTHENTICATED without a bearer token, 403 PERMISSION_DENIED with
 * another one, answered as `{ error, message }` by the errors plugin.
 */
export const bearerTokenPlugin = fp(plugin, {
  name: '@imagepipeline/rest-bearer-token',
  fastify: '5.x',
  dependencies: ['@imagepipeline/rest-errors'],
});
