import type { LiveEvent, LiveRun } from '@imagepipeline/live';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How often a comment line keeps a quiet stream (and the proxies on its way) open. */
export const KEEP_ALIVE_MS = 15_000;

/** One event in the SSE wire format: its id (its place in the run), its name (`type`), its JSON. */
export function sseMessage(event: LiveEvent, id: number): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Streams a run's events as Server-Sent Events on the raw reply: what happened so far first (after
 * the `Last-Event-ID` a reconnecting browser sends, if any), then each event as it happens, a
 * comment every `keepAliveMs`, and the end after `finished`. A browser that comes back once
 * everything was sent gets 204, which tells EventSource to stop reconnecting. Stops following the
 * run when the client goes.
 */
export function streamRunEvents(run: LiveRun, request: FastifyRequest, reply: FastifyReply, keepAliveMs = KEEP_ALIVE_MS): void {
  const lastId = lastEventId(request.headers['last-event-id']);
  if (lastId !== undefined && run.done && lastId >= run.eventCount - 1) {
    void reply.code(204).send();
    return;
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // The connection ends with the stream: nothing waits on it being idle afterwards (a shutdown).
    connection: 'close',
    'x-accel-buffering': 'no',
  });
  res.write(': events of run ' + run.runId + '\n\n');
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();
  let unwatch = () => {};
  const close = () => {
    clearInterval(keepAlive);
    unwatch();
    if (!res.writableEnded) res.end();
  };
  res.once('close', close);
  unwatch = run.watch({ event: (event, id) => res.write(sseMessage(event, id)), end: close }, lastId);
}

function lastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^\d{1,9}$/.test(value.trim()) ? Number(value) : undefined;
}
