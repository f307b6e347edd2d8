import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATENCY_COLUMNS } from '@imagepipeline/reporting';
import { LiveRuns, type LiveEvent, type LiveInfo, type LiveRunsOptions, type RunCreated } from '@imagepipeline/live';
import { FakeOrchestrator, typicalAnswers } from '@imagepipeline/live/testing';
import { createServiceLogger } from '@imagepipeline/serving';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildWebServer, webServerTransport } from './web-server';

const logger = createServiceLogger({ service: 'web', level: 'silent' }) as FastifyBaseLogger;

let publicDir: string;
let app: FastifyInstance | undefined;
beforeEach(async () => {
  publicDir = await mkdtemp(join(tmpdir(), 'web-public-'));
  await writeFile(join(publicDir, 'index.html'), '<!doctype html><title>live</title>');
  await writeFile(join(publicDir, 'app.js'), 'console.log(1)');
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await rm(publicDir, { recursive: true, force: true });
});

/** A listening server over fake orchestrators; answers its base URL. */
async function serve(options: Partial<LiveRunsOptions> = {}, keepAliveMs?: number) {
  const grpc = new FakeOrchestrator(typicalAnswers);
  const rest = new FakeOrchestrator(typicalAnswers);
  const live = new LiveRuns({ clients: { grpc, rest }, maxImageBytes: 16, maxImagesPerRun: 3, ...options });
  app = await buildWebServer({ live, publicDir, logger, keepAliveMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, live, grpc, rest, app };
}

function form(mode: string | undefined, files: [string, string][]): FormData {
  const body = new FormData();
  if (mode !== undefined) body.append('mode', mode);
  for (const [name, text] of files) body.append('image', new Blob([text], { type: 'image/png' }), name);
  return body;
}

/** The SSE messages of a finished stream: id, event name and parsed data. */
function parseSse(text: string): { id: number; event: string; data: LiveEvent }[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))!.slice(name.length + 2);
      return { id: Number(field('id')), event: field('event'), data: JSON.parse(field('data')) as LiveEvent };
    });
}

describe('web server', () => {
  it('refuses to start without the built page, saying how to build it', async () => {
    const live = new LiveRuns({ clients: { grpc: new FakeOrchestrator() } });
    await expect(buildWebServer({ live, publicDir: join(publicDir, 'missing'), logger })).rejects.toThrow(/npx nx run web:build/);
  });

  it('serves the page, its files, /api/info and /healthz', async () => {
    const { base } = await serve();
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>live</title>');
    expect((await fetch(`${base}/app.js`)).status).toBe(200);
    const info = (await (await fetch(`${base}/api/info`)).json()) as LiveInfo;
    expect(info).toMatchObject({ protocols: ['grpc', 'rest'], maxImageBytes: 16 });
    expect(info.stages.map((s) => s.name)).toEqual(['upload', 'noise_reduction', 'background_removal', 'classification']);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const missing = await fetch(`${base}/nothing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs uploads through both protocols, streams every event, serves the PNGs and CSVs', async () => {
    const { base } = await serve();
    const posted = await fetch(`${base}/api/runs`, {
      method: 'POST',
      body: form('race', [
        ['coffee.png', 'good'],
        ['huge.png', 'x'.repeat(17)],
        ['notes.txt', 'bad'],
      ]),
    });
    expect(posted.status).toBe(201);
    const created = (await posted.json()) as RunCreated;
    expect(created.protocols).toEqual(['grpc', 'rest']);
    expect(created.images.map((i) => [i.imageId, i.fileName])).toEqual([
      ['i1', 'coffee.png'],
      ['i2', 'huge.png'],
      ['i3', 'notes.txt'],
    ]);

    const stream = await fetch(`${base}/api/runs/${created.runId}/events`);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const messages = parseSse(await stream.text());
    expect(messages.map((m) => m.id)).toEqual(messages.map((_, i) => i));
    for (const message of messages) expect(message.event).toBe(message.data.type);
    const events = messages.map((m) => m.data);
    expect(events.filter((e) => e.type === 'failed')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ imageId: 'i2', protocol: 'grpc', code: 'IMAGE_TOO_LARGE', message: expect.stringContaining('huge.png') }),
        expect.objectContaining({ imageId: 'i2', protocol: 'rest', code: 'IMAGE_TOO_LARGE' }),
        expect.objectContaining({ imageId: 'i3', protocol: 'rest', code: 'IMAGE_UNREADABLE' }),
      ]),
    );
    const done = events.filter((e): e is Extract<LiveEvent, { type: 'done' }> => e.type === 'done');
    expect(done.map((e) => `${e.imageId}/${e.protocol}`).sort()).toEqual(['i1/grpc', 'i1/rest']);
    const finished = events.at(-1) as Extract<LiveEvent, { type: 'finished' }>;
    expect(finished.type).toBe('finished');

    const png = await fetch(base + done[0].processedUrl);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe(`inline; filename="coffee-${done[0].protocol}.png"`);
    expect(Buffer.from(await png.arrayBuffer()).toString()).toBe('png:coffee.png');

    const csv = await fetch(base + finished.latencyCsvUrls.rest!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="latency-rest-[0-9a-f]{8}\.csv"$/);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(LATENCY_COLUMNS.join(','));
    expect(lines.filter((l) => l.startsWith('huge.png,total_client'))).toEqual([expect.stringMatching(/,IMAGE_TOO_LARGE$/)]);

    // A browser coming back after everything gets 204 (EventSource stops); after event 3, the rest.
    const after = (id: number) => fetch(`${base}/api/runs/${created.runId}/events`, { headers: { 'last-event-id': String(id) } });
    expect((await after(messages.length - 1)).status).toBe(204);
    expect(parseSse(await (await after(3)).text()).map((m) => m.id)).toEqual(messages.slice(4).map((m) => m.id));
  });

  it('answers 404 for an unknown run, image or protocol, with { error, code }', async () => {
    const { base } = await serve();
    const unknown = await fetch(`${base}/api/runs/nope/events`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: expect.stringContaining('no run nope'), code: 'NOT_FOUND' });
    const created = (await (await fetch(`${base}/api/runs`, { method: 'POST', body: form('grpc', [['a.png', 'good']]) })).json()) as RunCreated;
    await (await fetch(`${base}/api/runs/${created.runId}/events`)).text();
    expect((await fetch(`${base}/api/runs/${created.runId}/images/i9/grpc/processed.png`)).status).toBe(404);
    expect((await fetch(`${base}/api/runs/${created.runId}/images/i1/rest/processed.png`)).status).toBe(404);
    expect((await fetch(`${base}/api/runs/${created.runId}/images/i1/http/processed.png`)).status).toBe(404);
    expect((await fetch(`${base}/api/runs/${created.runId}/latency-rest.csv`)).status).toBe(404);
    expect((await fetch(`${base}/api/runs/${created.runId}/latency-grpc.csv`)).status).toBe(200);
  });

  it('refuses too many images (413), a bad mode, no image and a body that is not multipart (400)', async () => {
    const { base } = await serve();
    const post = async (body: FormData | string) => {
      const response = await fetch(`${base}/api/runs`, { method: 'POST', body, headers: typeof body === 'string' ? { 'content-type': 'application/json' } : {} });
      return { status: response.status, body: (await response.json()) as { error: string; code?: string } };
    };
    const four = form('grpc', [1, 2, 3, 4].map((i) => [`${i}.png`, 'good']));
    expect(await post(four)).toEqual({ status: 413, body: { error: 'too many images: at most 3 per run', code: 'INVALID_ARGUMENT' } });
    expect(await post(form('http3', [['a.png', 'good']]))).toEqual({
      status: 400,
      body: { error: 'mode: expected one of grpc, rest, race, got "http3"', code: 'INVALID_ARGUMENT' },
    });
    expect((await post(form('grpc', []))).body.error).toMatch(/^no image/);
    expect(await post('{"image": 1}')).toMatchObject({ status: 400, body: { error: expect.stringContaining('multipart/form-data') } });
  });

  it('keeps a quiet stream alive, lets a client go, and ends every stream on shutdown', async () => {
    const { base, app: server, live } = await serve({ clients: { grpc: new FakeOrchestrator(() => 'ok', 1500) } }, 20);
    const transport = webServerTransport(server, live);
    const created = (await (await fetch(`${base}/api/runs`, { method: 'POST', body: form('grpc', [['a.png', 'good']]) })).json()) as RunCreated;

    // One client goes away after the first keep-alive.
    const leaving = new AbortController();
    const first = await fetch(`${base}/api/runs/${created.runId}/events`, { signal: leaving.signal });
    const reader = first.body!.getReader();
    let text = '';
    while (!text.includes(': keep-alive')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain(': keep-alive');
    expect(text).toContain('event: sent');
    leaving.abort();

    // Another is still streaming when the server shuts down: its stream ends, and close() returns
    // at once (not when the client's spare sockets time out).
    const staying = fetch(`${base}/api/runs/${created.runId}/events`).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 50));
    transport.stopAdmitting();
    const closing = Date.now();
    await transport.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    app = undefined;
    expect(parseSse(await staying).map((m) => m.event)).toEqual(['sent']);
  });
});
