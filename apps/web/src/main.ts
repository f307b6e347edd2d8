// The live web page's server: the page from ./public beside this bundle, runs sent through the gRPC
// and/or REST orchestrator named by GRPC_ORCHESTRATOR_ADDR / REST_ORCHESTRATOR_ADDR, every stage
// streamed to the page as it happens; serves until SIGTERM or SIGINT. libs/live's `web-config.ts` lists every variable.
import { fileURLToPath } from 'node:url';
import type { OrchestratorClient } from '@imagepipeline/client';
import { loadConfigOrExit } from '@imagepipeline/config';
import { LiveRuns, loadWebConfig, type LiveProtocol } from '@imagepipeline/live';
import { createServiceLogger, runService } from '@imagepipeline/serving';
import { GrpcOrchestratorClient } from '@imagepipeline/transport-grpc';
import { buildWebServer, RestOrchestratorClient, webServerTransport } from '@imagepipeline/transport-rest';

const config = loadConfigOrExit(() => loadWebConfig(process.env));
const logger = createServiceLogger({ service: 'web', level: config.logLevel });
// Built into dist/apps/web/main.mjs; `web:build` puts the page in dist/apps/web/public.
const publicDir = fileURLToPath(new URL('./public', import.meta.url));

const { grpc, rest } = config.orchestrators;
const clients: Partial<Record<LiveProtocol, OrchestratorClient>> = {
  ...(grpc && { grpc: new GrpcOrchestratorClient(grpc, { security: config.security }) }),
  ...(rest && { rest: new RestOrchestratorClient(rest, { security: config.security }) }),
};
const live = new LiveRuns({
  clients,
  orchestrators: config.orchestrators,
  maxImageBytes: config.maxImageBytes,
  maxImagesPerRun: config.maxImagesPerRun,
  concurrency: config.concurrency,
  retention: { maxRuns: config.keepRuns, maxBytes: config.keepBytes },
});

await runService({
  logger,
  start: async () => {
    const app = await buildWebServer({ live, publicDir, logger });
    const transport = webServerTransport(app, live);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      server: app,
      address: `http://${host}:${port}/`,
      stops: { transport, graceMs: config.shutdownGraceMs, resources: Object.values(clients) },
    };
  },
});
logger.info({ orchestrators: config.orchestrators }, 'orchestrators');
