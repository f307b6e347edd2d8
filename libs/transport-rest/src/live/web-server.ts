import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { isPipelineErrorCode, PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { LIVE_ROUTES, type LiveProtocol, type LiveRun, type LiveRuns } from '@imagepipeline/live';
import { safeFileStem } from '@imagepipeline/reporting';
import type { ServingTransport } from '@imagepipeline/serving';
import { HTTP_STATUS_BY_ERROR_CODE } from '../http-errors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { KEEP_ALIVE_MS, streamRunEvents } from './event-stream';
import { HOW_TO_UPLOAD, readRunUpload } from './run-upload';

export interface WebServerOptions {
  live: LiveRuns;
  /** The built page (`index.html` and its assets). */
  publicDir: string;
  logger: FastifyBaseLogger;
  /** Comment lines on a quiet event stream; default 15 s. */
  keepAliveMs?: number;
}

/** The body of every error answer: what went wrong, and its code when there is one. */
export interface WebErrorBody {
  error: string;
  code?: string;
}

/** Form fields are short (the mode); anything longer is a mistake. */
const MAX_FIELD_BYTES = 1024;

/**
 * The web page's server, not listening yet: the page itself from `publicDir`, `GET /api/info`,
 * `POST /api/runs`, each run's events as SSE, its processed PNGs and latency CSVs, and `/healthz`.
 * Errors answer `{ error, code }`. Throws when `publicDir` holds no built page.
 */
export async function buildWebServer({ live, publicDir, logger, keepAliveMs = KEEP_ALIVE_MS }: WebServerOptions): Promise<FastifyInstance> {
  if (!existsSync(join(publicDir, 'index.html'))) {
    throw new Error(`no built web page in ${publicDir} (index.html missing): build it with \`npx nx run web:build\``);
  }
  const app = Fastify({
    loggerInstance: logger,
    // One debug line per call (below) instead of Fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A socket quiet this long is closed; an event stream is never that quiet (keep-alive comments).
    connectionTimeout: Math.max(60_000, 4 * keepAliveMs),
    requestTimeout: 300_000,
    keepAliveTimeout: 5_000,
    http: { headersTimeout: 30_000 },
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = errorReply(error, live);
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no such page or resource: ${request.method} ${request.url}`, code: 'NOT_FOUND' } satisfies WebErrorBody));
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'call');
  });

  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: live.maxImageBytes,
      files: live.maxImagesPerRun,
      fields: 8,
      fieldSize: MAX_FIELD_BYTES,
      parts: live.maxImagesPerRun + 8,
    },
  });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/', index: 'index.html', wildcard: true });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get(LIVE_ROUTES.info, async () => live.info());

  app.post(LIVE_ROUTES.runs, async (request, reply) => {
    const { mode, uploads } = await readRunUpload(request);
    const created = live.create(mode, uploads);
    request.log.info({ runId: created.runId, protocols: created.protocols, images: created.images.length }, 'run created');
    return reply.code(201).send(created);
  });

  app.get<{ Params: { runId: string } }>(LIVE_ROUTES.events, async (request, reply) => {
    streamRunEvents(runOrThrow(live, request.params.runId), request, reply, keepAliveMs);
    return reply;
  });

  app.get<{ Params: { runId: string; imageId: string; protocol: string } }>(LIVE_ROUTES.processedImage, async (request, reply) => {
    const { runId, imageId, protocol } = request.params;
    const run = runOrThrow(live, runId);
    const image = run.images.find((i) => i.imageId === imageId);
    const png = isProtocol(protocol) ? run.processedImage(imageId, protocol) : undefined;
    if (!image || !png) throw notFound(`no processed image ${imageId} over ${protocol} in run ${runId}: not done, failed, or no longer kept`);
    return sendFile(reply, 'image/png', contentDisposition('inline', `${safeFileStem(image.fileName)}-${protocol}.png`), png);
  });

  app.get<{ Params: { runId: string; protocol: string } }>(LIVE_ROUTES.latencyCsv, async (request, reply) => {
    const { runId, protocol } = request.params;
    const csv = isProtocol(protocol) ? runOrThrow(live, runId).latencyCsv(protocol) : undefined;
    if (csv === undefined) throw notFound(`no latency CSV over ${protocol} in run ${runId}: not that run's protocol, or not finished yet`);
    return sendFile(reply, 'text/csv; charset=utf-8', contentDisposition('attachment', `latency-${protocol}-${runId.slice(0, 8)}.csv`), csv);
  });

  await app.ready();
  return app;
}

/**
 * The web server's part of a graceful shutdown: no new runs and every event stream ended; then it
 * closes, letting downloads in flight finish; then it cuts what is left. Sockets a browser opened
 * ahead and never sent a request on are closed at once: Node's close waits for them otherwise.
 */
export function webServerTransport(app: FastifyInstance, live: LiveRuns): ServingTransport {
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  return {
    stopAdmitting: () => void live.close(),
    close: () => {
      const closed = app.close();
      for (const socket of unused) socket.destroy();
      return closed;
    },
    cut: () => app.server.closeAllConnections(),
  };
}

function runOrThrow(live: LiveRuns, runId: string): LiveRun {
  const run = live.run(runId);
  if (!run) throw notFound(`no run ${runId}: unknown, or no longer kept (the server keeps the newest runs only)`);
  return run;
}

function isProtocol(value: string): value is LiveProtocol {
  return value === 'grpc' || value === 'rest';
}

function notFound(message: string): PipelineError {
  return new PipelineError(PipelineErrorCode.NOT_FOUND, message);
}

/** A Content-Disposition with an ASCII file name, and the UTF-8 one too where they differ (RFC 6266). */
function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return ascii === fileName ? `${kind}; filename="${ascii}"` : `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function sendFile(reply: FastifyReply, type: string, disposition: string, body: Buffer | string): FastifyReply {
  return reply.type(type).header('content-disposition', disposition).header('cache-control', 'no-store').send(body);
}

/** Status and body of an error: a PipelineError by its code; multipart's limits and Fastify's own by their status. */
function errorReply(error: FastifyError, live: LiveRuns): { status: number; body: WebErrorBody } {
  if (error instanceof PipelineError || isPipelineErrorCode(error.code)) {
    const code = error.code as PipelineErrorCode;
    return { status: HTTP_STATUS_BY_ERROR_CODE[code], body: { error: error.message, code } };
  }
  switch (error.code) {
    case 'FST_FILES_LIMIT':
      return { status: 413, body: { error: `too many images: at most ${live.maxImagesPerRun} per run`, code: PipelineErrorCode.INVALID_ARGUMENT } };
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, body: { error: `too many form parts: ${HOW_TO_UPLOAD}, at most ${live.maxImagesPerRun} images`, code: PipelineErrorCode.INVALID_ARGUMENT } };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 400, body: { error: `not a multipart body: ${HOW_TO_UPLOAD}`, code: PipelineErrorCode.INVALID_ARGUMENT } };
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  return { status, body: { error: status === 500 ? 'internal error: see the server log' : error.message, ...(error.code && { code: error.code }) } };
}
