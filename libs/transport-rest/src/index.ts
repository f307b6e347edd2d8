/**
 * The REST transport, as apps and tools use it: the stage and orchestrator services run under the
 * serving core's lifecycle, the orchestrator's client to the stages, the pipeline client's client
 * to the orchestrator, the live page's web server, and the one error-code → HTTP-status table. The
 * Fastify plugins each feature is built from stay inside.
 */
export { HTTP_STATUS_BY_ERROR_CODE } from './http-errors';
export { runOrchestratorRestServer, runStageRestServer } from './run-rest-server';
export { RestStageClient } from './rest-stage-client';
export { RestOrchestratorClient } from './rest-orchestrator-client';
export { buildWebServer, webServerTransport, type WebServerOptions } from './live/web-server';
