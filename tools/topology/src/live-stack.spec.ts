import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '@imagepipeline/config';
import type { LiveEvent, RunCreated } from '@imagepipeline/live';
import { LATENCY_COLUMNS } from '@imagepipeline/reporting';
import { listeningAddress, startLiveStack, type LiveStack } from './live-stack';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Five ports from `first` on, in the range tests may use (24100-24199). */
function portsFrom(first: number): Record<ServiceName, number> {
  return { orchestrator: first, uploader: first + 1, 'noise-reducer': first + 2, 'background-remover': first + 3, classifier: first + 4 };
}

function eventsOf(stream: string): LiveEvent[] {
  return stream
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as LiveEvent);
}

describe('listeningAddress', () => {
  it('finds the last listening line of a pino log', () => {
    const log = [
      '{"level":30,"msg":"listening","address":"http://127.0.0.1:1/"}',
      'not json "listening"',
      '{"level":30,"msg":"listening","address":"http://127.0.0.1:2/"}',
      '{"level":30,"msg":"ready"}',
    ].join('\n');
    expect(listeningAddress(log)).toBe('http://127.0.0.1:2/');
    expect(listeningAddress('{"msg":"ready"}')).toBeUndefined();
  });
});

// The built apps (`nx run-many -t build`, which this project's test target runs first) as real
// processes: both local topologies on ports 24110-24124, the web server on any free port.
describe('startLiveStack', () => {
  let logDir: string;
  let stack: LiveStack;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'live-stack-'));
    stack = await startLiveStack({ root, logDir, ports: { grpc: portsFrom(24110), rest: portsFrom(24120) }, webPort: 0, log: () => undefined });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it('sends a photo and a non-image through both protocols, live, then stops the web server and every service', async () => {
    expect(stack.orchestrators).toEqual({ grpc: '127.0.0.1:24110', rest: '127.0.0.1:24120' });
    const form = new FormData();
    form.append('mode', 'race');
    form.append('image', new Blob([await readFile(join(root, 'samples/coffee.png'))], { type: 'image/png' }), 'coffee.png');
    form.append('image', new Blob(['not an image']), 'notes.png');
    const posted = await fetch(new URL('/api/runs', stack.url), { method: 'POST', body: form });
    expect(posted.status).toBe(201);
    const created = (await posted.json()) as RunCreated;

    const events = eventsOf(await (await fetch(new URL(`/api/runs/${created.runId}/events`, stack.url))).text());
    for (const protocol of ['grpc', 'rest'] as const) {
      const stages = events.filter((e) => e.type === 'stage' && e.protocol === protocol && e.imageId === 'i1');
      expect(stages.map((e) => e.type === 'stage' && e.stage).sort()).toEqual(['background_removal', 'classification', 'noise_reduction', 'upload']);
      expect(events.find((e) => e.type === 'done' && e.protocol === protocol)).toMatchObject({ imageId: 'i1', label: 'espresso' });
      expect(events.find((e) => e.type === 'failed' && e.protocol === protocol)).toMatchObject({ imageId: 'i2', code: 'IMAGE_UNREADABLE' });
    }
    const finished = events.at(-1) as Extract<LiveEvent, { type: 'finished' }>;
    expect(finished.type).toBe('finished');

    const done = events.find((e): e is Extract<LiveEvent, { type: 'done' }> => e.type === 'done')!;
    const png = Buffer.from(await (await fetch(new URL(done.processedUrl, stack.url))).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const csv = await (await fetch(new URL(finished.latencyCsvUrls.grpc!, stack.url))).text();
    expect(csv.split('\r\n')[0]).toBe(LATENCY_COLUMNS.join(','));
    expect(csv).toContain('notes.png,total_client,,,');

    await stack.stop();
    expect(await stack.webExited).toBe(0);
    expect(await Promise.all(stack.services.map((service) => service.exited))).toEqual(stack.services.map(() => 0));
  });
});
