import { describe, expect, it } from 'vitest';
import { STAGE_NAMES } from '@imagepipeline/contracts';
import { LATENCY_COLUMNS } from '@imagepipeline/reporting';
import { parseCsv } from '@imagepipeline/reporting/testing';
import type { LiveEvent } from './live-events';
import type { LiveRun } from './live-run';
import { LiveRuns, type LiveUpload } from './live-runs';
import { FakeOrchestrator, typicalAnswers } from './testing';

const upload = (fileName: string, text = 'good'): LiveUpload => ({ fileName, data: Buffer.from(text) });

/** Every event of a run until it ends, with the ids it came with. */
function collect(run: LiveRun, afterId?: number): Promise<{ events: LiveEvent[]; ids: number[] }> {
  const events: LiveEvent[] = [];
  const ids: number[] = [];
  return new Promise((resolve) => {
    run.watch(
      {
        event: (event, id) => {
          events.push(event);
          ids.push(id);
        },
        end: () => resolve({ events, ids }),
      },
      afterId,
    );
  });
}

function liveRuns(options: Partial<ConstructorParameters<typeof LiveRuns>[0]> = {}) {
  const grpc = new FakeOrchestrator(typicalAnswers);
  const rest = new FakeOrchestrator(typicalAnswers);
  const live = new LiveRuns({ clients: { grpc, rest }, orchestrators: { grpc: '127.0.0.1:1', rest: '127.0.0.1:2' }, ...options });
  return { live, grpc, rest };
}

describe('LiveRuns', () => {
  it('says what it offers', () => {
    const live = new LiveRuns({ clients: { rest: new FakeOrchestrator() }, maxImageBytes: 1000 });
    expect(live.info()).toEqual({
      protocols: ['rest'],
      maxImageBytes: 1000,
      stages: [
        { name: 'upload', title: 'Upload' },
        { name: 'noise_reduction', title: 'Noise reduction' },
        { name: 'background_removal', title: 'Background removal' },
        { name: 'classification', title: 'Classification' },
      ],
    });
  });

  it('reports every stage of every image through both protocols, then finished', async () => {
    const { live, grpc } = liveRuns();
    const created = live.create('race', [upload('coffee.png'), upload('chelsea.png')]);
    expect(created.protocols).toEqual(['grpc', 'rest']);
    expect(created.images).toEqual([
      { imageId: 'i1', fileName: 'coffee.png', colour: '#4e79a7' },
      { imageId: 'i2', fileName: 'chelsea.png', colour: '#f28e2b' },
    ]);
    const run = live.run(created.runId)!;
    const { events } = await collect(run);

    for (const protocol of ['grpc', 'rest'] as const) {
      for (const { imageId } of created.images) {
        const lane = events.filter((e) => 'imageId' in e && e.imageId === imageId && e.protocol === protocol);
        expect(lane.map((e) => e.type)).toEqual(['sent', 'stage', 'stage', 'stage', 'stage', 'done']);
        const done = lane.at(-1) as Extract<LiveEvent, { type: 'done' }>;
        expect(done).toMatchObject({
          label: 'espresso',
          topK: [
            { label: 'espresso', probability: 0.9 },
            { label: 'cup', probability: 0.05 },
          ],
          processedUrl: `/api/runs/${created.runId}/images/${imageId}/${protocol}/processed.png`,
        });
        expect(done.totalMs).toBeGreaterThanOrEqual(5);
        expect(run.processedImage(imageId, protocol)?.toString()).toBe(`png:${created.images.find((i) => i.imageId === imageId)!.fileName}`);
      }
    }
    // Stage times: the orchestrator's epoch ms, as ms since the run was created.
    const spans = grpc.spans.get('coffee.png')!;
    const stages = events.filter((e): e is Extract<LiveEvent, { type: 'stage' }> => e.type === 'stage' && e.protocol === 'grpc' && e.imageId === 'i1');
    expect(stages.map((s) => s.stage)).toEqual(STAGE_NAMES);
    expect(stages[1]).toEqual({
      type: 'stage',
      imageId: 'i1',
      protocol: 'grpc',
      stage: 'noise_reduction',
      startMs: spans[1].startedAtMs - run.createdAtMs,
      endMs: spans[1].endedAtMs - run.createdAtMs,
      computeMs: 1.5,
      transportMs: 0.5,
    });
    expect(stages[0].startMs).toBeGreaterThanOrEqual(0);
    expect(events.at(-1)).toEqual({
      type: 'finished',
      latencyCsvUrls: { grpc: `/api/runs/${created.runId}/latency-grpc.csv`, rest: `/api/runs/${created.runId}/latency-rest.csv` },
    });
    expect(events.filter((e) => e.type === 'finished')).toHaveLength(1);
  });

  it('turns every failure into a failed event of that image, and carries on', async () => {
    const { live, grpc } = liveRuns({ maxImageBytes: 10 });
    const created = live.create('grpc', [
      upload('notes.txt', 'bad'),
      upload('busy.png', 'full'),
      upload('cut.png', 'boom'),
      upload('huge.png', 'x'.repeat(11)),
      { fileName: 'truncated.png', data: Buffer.from('good'), truncated: true },
      upload('coffee.png'),
    ]);
    const { events } = await collect(live.run(created.runId)!);
    const failed = events.filter((e) => e.type === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ imageId: 'i4', code: 'IMAGE_TOO_LARGE', message: expect.stringContaining('huge.png') }),
      expect.objectContaining({ imageId: 'i5', code: 'IMAGE_TOO_LARGE' }),
      expect.objectContaining({ imageId: 'i1', protocol: 'grpc', code: 'IMAGE_UNREADABLE', message: 'not an image' }),
      expect.objectContaining({ imageId: 'i2', code: 'QUEUE_FULL' }),
      expect.objectContaining({ imageId: 'i3', code: 'INTERNAL', message: 'socket hang up' }),
    ]);
    // Refused uploads are never sent.
    expect(grpc.received.sort()).toEqual(['busy.png', 'coffee.png', 'cut.png', 'notes.txt']);
    expect(events.filter((e) => e.type === 'sent' && (e.imageId === 'i4' || e.imageId === 'i5'))).toEqual([]);
    expect(events.filter((e) => e.type === 'done').map((e) => 'imageId' in e && e.imageId)).toEqual(['i6']);
    expect(events.at(-1)?.type).toBe('finished');
  });

  it('gives a late follower every event first, and one that comes back only what it missed', async () => {
    const { live } = liveRuns();
    const created = live.create('race', [upload('a.png'), upload('b.png')]);
    const run = live.run(created.runId)!;
    const early = await collect(run);
    const late = await collect(run);
    expect(late.events).toEqual(early.events);
    expect(late.ids).toEqual(early.events.map((_, i) => i));
    const rest = await collect(run, 9);
    expect(rest.ids[0]).toBe(10);
    expect(rest.events).toEqual(early.events.slice(10));
    expect(run.done).toBe(true);
  });

  it('answers the latency CSV of each protocol in the CLI latency.csv format', async () => {
    const { live } = liveRuns();
    const created = live.create('grpc', [upload('coffee.png'), upload('notes.txt', 'bad')]);
    const run = live.run(created.runId)!;
    expect(run.latencyCsv('grpc')).toBeUndefined();
    await collect(run);
    const csv = run.latencyCsv('grpc')!;
    expect(run.latencyCsv('rest')).toBeUndefined();
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...LATENCY_COLUMNS]);
    expect(rows.map((r) => [r[0], r[1], r.at(-1)])).toEqual([
      ...STAGE_NAMES.map((stage) => ['coffee.png', stage, 'ok']),
      ['coffee.png', 'total_orchestrator', 'ok'],
      ['coffee.png', 'total_client', 'ok'],
      ['notes.txt', 'total_client', 'IMAGE_UNREADABLE'],
    ]);
    // Stage rows carry the orchestrator's own times, from its first moment (the image received).
    expect(rows[0].slice(2, 8)).toEqual(['0.001', '0.003', '2', '1.5', '0.5', '1']);
    expect(rows[3].slice(2, 8)).toEqual(['0.01', '0.012', '2', '1.5', '0.5', '1']);
    expect(rows[4].slice(2, 8)).toEqual(['0', '0.009', '9', '6', '-1', '4']);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('refuses a bad mode, a protocol it has no orchestrator for, no image and too many', () => {
    const live = new LiveRuns({ clients: { grpc: new FakeOrchestrator() }, maxImagesPerRun: 2 });
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return 'no error';
    };
    expect(codeOf(() => live.create('http3', [upload('a.png')]))).toBe('INVALID_ARGUMENT: mode: expected one of grpc, rest, race, got "http3"');
    expect(codeOf(() => live.create('race', [upload('a.png')]))).toBe(
      'INVALID_ARGUMENT: mode "race" needs an orchestrator over rest; this server has grpc only',
    );
    expect(codeOf(() => live.create('grpc', []))).toMatch(/^INVALID_ARGUMENT: no image/);
    expect(codeOf(() => live.create('grpc', [upload('a'), upload('b'), upload('c')]))).toBe(
      'INVALID_ARGUMENT: too many images: at most 2 per run, got 3',
    );
    expect(live.create(undefined, [upload('a.png')]).protocols).toEqual(['grpc']);
    expect(() => new LiveRuns({ clients: {} })).toThrow(/got none/);
  });

  it('keeps at most `concurrency` images in flight per protocol, over every run together', async () => {
    const { live, grpc, rest } = liveRuns({ concurrency: 2 });
    const names = Array.from({ length: 6 }, (_, i) => upload(`${i}.png`));
    const runs = [live.create('race', names), live.create('grpc', names)];
    await Promise.all(runs.map((created) => collect(live.run(created.runId)!)));
    expect(grpc.received).toHaveLength(12);
    expect(grpc.maxInFlight).toBe(2);
    expect(rest.maxInFlight).toBe(2);
  });

  it('evicts the oldest runs beyond the byte bound and the run count; an evicted run is unknown', async () => {
    // Each processed "PNG" is `png:<name>`: 9 bytes for `x.png`.
    const { live } = liveRuns({ retention: { maxRuns: 3, maxBytes: 30 } });
    const first = live.create('grpc', [upload('a.png'), upload('b.png')]);
    await collect(live.run(first.runId)!);
    const second = live.create('grpc', [upload('c.png')]);
    await collect(live.run(second.runId)!);
    expect(live.run(first.runId)?.processedImage('i2', 'grpc')?.toString()).toBe('png:b.png');

    // 27 bytes kept: d.png makes 36, over 30: the oldest run goes, the next oldest stays.
    const third = live.create('grpc', [upload('d.png'), upload('e.png')]);
    await collect(live.run(third.runId)!);
    expect(live.run(first.runId)).toBeUndefined();
    expect(live.run(second.runId)?.processedImage('i1', 'grpc')?.toString()).toBe('png:c.png');
    expect(live.run(third.runId)?.processedImage('i2', 'grpc')?.toString()).toBe('png:e.png');

    // f.png: 36 bytes again; the oldest left goes.
    const fourth = live.create('grpc', [upload('f.png')]);
    await collect(live.run(fourth.runId)!);
    expect(live.run(second.runId)).toBeUndefined();
    expect(live.run(third.runId)?.latencyCsv('grpc')).toContain('e.png');

    // A new run beyond maxRuns evicts the oldest at once, running or not.
    const few = liveRuns({ retention: { maxRuns: 2 } }).live;
    const runIds = [1, 2, 3].map(() => few.create('grpc', [upload('a.png')]).runId);
    expect(runIds.map((id) => few.run(id) !== undefined)).toEqual([false, true, true]);

    // A PNG larger than the whole bound is not kept, and evicts nothing.
    const tiny = liveRuns({ retention: { maxBytes: 5 } }).live;
    const alone = tiny.create('rest', [upload('big.png')]);
    await collect(tiny.run(alone.runId)!);
    expect(tiny.run(alone.runId)?.processedImage('i1', 'rest')).toBeUndefined();
    expect(tiny.run(alone.runId)?.latencyCsv('rest')).toContain('big.png');
  });

  it('ends every follower on close and starts no new run', async () => {
    const grpc = new FakeOrchestrator(() => 'ok', 50);
    const live = new LiveRuns({ clients: { grpc }, concurrency: 1 });
    const created = live.create('grpc', [upload('a.png'), upload('b.png'), upload('c.png')]);
    const followed = collect(live.run(created.runId)!);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await live.close();
    const { events } = await followed;
    expect(events.map((e) => e.type)).toEqual(['sent']);
    expect(() => live.create('grpc', [upload('d.png')])).toThrow(/shutting down/);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(grpc.received).toEqual(['a.png']);
  });
});
