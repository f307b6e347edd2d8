import { PipelineError, PipelineErrorCode, type ProcessRequest, type ProcessResult, type StageSpan } from '@imagepipeline/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { Orchestrator } from './orchestrator';
import type { OrchestratorOptions } from './orchestrator-options';
import { QueueFullError } from '@imagepipeline/serving';
import { FakeStageClient, type FakeStageClientOptions } from './testing';

function request(name: string, extra: Partial<ProcessRequest> = {}): ProcessRequest {
  const image = { data: Buffer.from(name), format: 'jpeg', width: 4, height: 3, fileName: `${name}.jpg`, channels: 0 };
  return { image, topK: 0, includeIntermediates: false, ...extra };
}

const spanOf = (result: ProcessResult, stage: string): StageSpan => {
  const span = result.timeline.find((s) => s.stage === stage);
  if (!span) throw new Error(`no ${stage} span`);
  return span;
};

let orchestrators: Orchestrator[] = [];
function setup(fake: FakeStageClientOptions = {}, options: OrchestratorOptions = {}) {
  const client = new FakeStageClient(fake);
  const orchestrator = new Orchestrator(client, options);
  orchestrators.push(orchestrator);
  return { client, orchestrator };
}
afterEach(async () => {
  await Promise.all(orchestrators.map((o) => o.close()));
  orchestrators = [];
});

describe('Orchestrator.process', () => {
  it('chains the stages, classifies the denoised image and records a consistent timeline', async () => {
    const computeMs = { upload: 1, noise_reduction: 2, background_removal: 3, classification: 4 };
    const { orchestrator } = setup({ computeMs, delayMs: { noise_reduction: 2 } });
    const done: StageSpan[] = [];
    const result = await orchestrator.process(request('cat'), { onStageDone: (span) => done.push(span) });

    expect(result).toMatchObject({ fileName: 'cat.jpg', uploadId: 'upload-cat.jpg', label: 'label-of(cat|uploaded|denoised)' });
    expect(result.processedImage?.data.toString()).toBe('cat|uploaded|denoised|removed');
    expect(result.topK).toHaveLength(5);
    expect(result.uploadedImage).toBeUndefined();
    expect(result.denoisedImage).toBeUndefined();
    expect(result.timeline.map((s) => s.stage)).toEqual(['upload', 'noise_reduction', 'background_removal', 'classification']);
    expect(done).toHaveLength(4);
    for (const span of result.timeline) {
      expect(span.enqueuedAtMs).toBeGreaterThanOrEqual(result.receivedAtMs);
      expect(span.startedAtMs).toBeGreaterThanOrEqual(span.enqueuedAtMs);
      expect(span.endedAtMs).toBeGreaterThanOrEqual(span.startedAtMs);
      expect(span.observedMs).toBe(span.endedAtMs - span.startedAtMs);
      expect(span.computeMs).toBe(computeMs[span.stage as keyof typeof computeMs]);
      expect(span.endedAtMs).toBeLessThanOrEqual(result.receivedAtMs + result.totalMs);
    }
    expect(spanOf(result, 'noise_reduction').enqueuedAtMs).toBeGreaterThanOrEqual(spanOf(result, 'upload').endedAtMs);
  });

  it('keeps several images in different stages at once and classifies beside background removal', async () => {
    const delayMs = { upload: 5, noise_reduction: 10, background_removal: 50, classification: 10 };
    const { orchestrator } = setup({ delayMs });
    const results = await Promise.all([1, 2, 3, 4].map((i) => orchestrator.process(request(`img-${i}`))));
    const [first, second, , fourth] = results;

    // A pipeline: image 2 is denoised and image 4 uploaded while image 1's background is removed.
    expect(spanOf(second, 'noise_reduction').startedAtMs).toBeLessThan(spanOf(first, 'background_removal').endedAtMs);
    expect(spanOf(fourth, 'upload').endedAtMs).toBeLessThanOrEqual(spanOf(first, 'background_removal').endedAtMs);
    // Classification does not wait for background removal.
    for (const result of results) {
      expect(spanOf(result, 'classification').startedAtMs).toBeLessThan(spanOf(result, 'background_removal').endedAtMs);
    }
    // One background worker: those spans never overlap.
    const background = results.map((r) => spanOf(r, 'background_removal')).sort((a, b) => a.startedAtMs - b.startedAtMs);
    for (let i = 1; i < background.length; i += 1) {
      expect(background[i].startedAtMs).toBeGreaterThanOrEqual(background[i - 1].endedAtMs);
    }
  });

  it('adds the intermediate images when asked and passes topK on', async () => {
    const { orchestrator } = setup();
    const result = await orchestrator.process(request('dog', { includeIntermediates: true, topK: 3 }));
    expect(result.uploadedImage?.data.toString()).toBe('dog|uploaded');
    expect(result.denoisedImage?.data.toString()).toBe('dog|uploaded|denoised');
    expect(result.topK.map((p) => p.classIndex)).toEqual([0, 1, 2]);
  });

  it('fails only the image whose stage failed, naming the stage and keeping the code', async () => {
    const down = new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'remover down');
    const { orchestrator } = setup({
      failWith: { background_removal: (image) => (image.data.toString().startsWith('bad') ? down : undefined) },
    });
    const outcomes = await Promise.allSettled(['good-1', 'bad', 'good-2'].map((name) => orchestrator.process(request(name))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (outcomes[1] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({
      code: PipelineErrorCode.STAGE_UNAVAILABLE,
      message: 'background_removal failed: stage unavailable (remover down)',
    });
    expect(orchestrator.stats()).toMatchObject({ completed: 2, failed: 1, inFlightImages: 0 });
  });

  it('cancels the sibling stage when background removal fails', async () => {
    const { client, orchestrator } = setup({
      failWith: { background_removal: () => new PipelineError(PipelineErrorCode.INTERNAL, 'model crashed') },
    });
    client.hold('classification');
    await expect(orchestrator.process(request('x'))).rejects.toMatchObject({ message: /^background_removal failed: internal/ });
    const classify = client.calls.find((c) => c.stage === 'classification');
    expect(classify?.signal.aborted).toBe(true);
  });

  it('reports a stage that answers without an image as INTERNAL, naming the stage', async () => {
    const client = new FakeStageClient();
    client.upload = async () => ({ image: undefined, uploadId: 'u', computeMs: 0 });
    const orchestrator = new Orchestrator(client);
    orchestrators.push(orchestrator);
    await expect(orchestrator.process(request('x'))).rejects.toMatchObject({
      code: PipelineErrorCode.INTERNAL,
      message: 'upload failed: internal (upload answered without an image)',
    });
  });

  it("answers QUEUE_FULL at once when a stage's queue is full", async () => {
    const { client, orchestrator } = setup({}, { stages: { background_removal: { concurrency: 1, queueCapacity: 1 } } });
    const release = client.hold('background_removal');
    const first = orchestrator.process(request('a'));
    const second = orchestrator.process(request('b'));
    // The third only once the other two hold the stage: each image reads its header first, and the
    // reads may finish in any order.
    await expect.poll(() => orchestrator.stats().stages.background_removal).toMatchObject({ running: 1, waiting: 1 });
    const third = orchestrator.process(request('c'));
    const error = await third.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toMatchObject({ code: PipelineErrorCode.QUEUE_FULL, scope: 'background_removal', bound: 1 });
    expect(orchestrator.stats().stages.background_removal).toMatchObject({ running: 1, waiting: 1, rejected: 1 });
    release();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('fails with DEADLINE_EXCEEDED when a stage runs past its deadline, aborting the call', async () => {
    const { client, orchestrator } = setup(
      { delayMs: { background_removal: 10_000 } },
      { stages: { background_removal: { deadlineMs: 30 } } },
    );
    await expect(orchestrator.process(request('slow'))).rejects.toMatchObject({
      code: PipelineErrorCode.DEADLINE_EXCEEDED,
      message: expect.stringMatching(/^background_removal failed: deadline exceeded \(.*30 ms/),
    });
    const call = client.calls.find((c) => c.stage === 'background_removal');
    expect(call?.signal.aborted).toBe(true);
  });

  it("fails the image when the caller's signal aborts, aborting the stage call", async () => {
    const { client, orchestrator } = setup();
    client.hold('noise_reduction');
    const caller = new AbortController();
    const result = orchestrator.process(request('gone'), { signal: caller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    caller.abort();
    await expect(result).rejects.toMatchObject({ code: PipelineErrorCode.DEADLINE_EXCEEDED, message: /^noise_reduction failed/ });
    expect(client.calls.find((c) => c.stage === 'noise_reduction')?.signal.aborted).toBe(true);
  });

  it('refuses images beyond maxInFlightImages at once with QUEUE_FULL', async () => {
    const { client, orchestrator } = setup({}, { maxInFlightImages: 2 });
    const release = client.hold('upload');
    const admitted = [orchestrator.process(request('a')), orchestrator.process(request('b'))];
    await expect(orchestrator.process(request('c'))).rejects.toMatchObject({
      code: PipelineErrorCode.QUEUE_FULL,
      scope: 'pipeline',
      message: expect.stringMatching(/^pipeline is full \(2 images in flight, bound 2\); retry after \d+ s$/),
    });
    expect(orchestrator.stats()).toMatchObject({ inFlightImages: 2, maxInFlightImages: 2, rejected: 1 });
    release();
    await Promise.all(admitted);
    await expect(orchestrator.process(request('d'))).resolves.toMatchObject({ fileName: 'd.jpg' });
  });

  it('lets an image wait for memory, by its estimate, before its first stage', async () => {
    // Each fake image costs its bytes (its header does not read): a budget of 3 bytes fits one.
    const { client, orchestrator } = setup({}, { memoryBudgetBytes: 3 });
    const release = client.hold('upload');
    const first = orchestrator.process(request('one'));
    await expect.poll(() => orchestrator.stats().memory.reservedBytes).toBe(3); // its header read, in line first
    const second = orchestrator.process(request('two'));
    await expect.poll(() => orchestrator.stats().memory.waiting).toBe(1);
    await expect.poll(() => client.calls.length).toBe(1);
    expect(orchestrator.stats().memory).toEqual({ capacityBytes: 3, reservedBytes: 3, waiting: 1 });
    release();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(client.calls.filter((call) => call.stage === 'upload').map((call) => call.fileName)).toEqual(['one.jpg', 'two.jpg']);
    expect(orchestrator.stats().memory.reservedBytes).toBe(0);
  });

  it('refuses at once, QUEUE_FULL, an image that would make the uploads waiting for memory pass a quarter of the budget', async () => {
    // Budget 12 bytes: waiting uploads may hold 3. The 12-byte image runs, 'bb' waits, 'cc' would make 4.
    const { client, orchestrator } = setup({}, { memoryBudgetBytes: 12 });
    const release = client.hold('upload');
    // One after the other: each reads its header before it reserves, and the two reads may finish in either order.
    const first = orchestrator.process(request('aaaaaaaaaaaa'));
    await expect.poll(() => orchestrator.stats().memory.reservedBytes).toBe(12);
    const admitted = [first, orchestrator.process(request('bb'))];
    await expect.poll(() => orchestrator.stats().memory.waiting).toBe(1);
    await expect(orchestrator.process(request('cc'))).rejects.toMatchObject({
      code: PipelineErrorCode.QUEUE_FULL,
      scope: 'memory',
      message: expect.stringMatching(/^memory is full \(4 bytes of images waiting for memory, bound 3\); retry after \d+ s$/),
    });
    release();
    await expect(Promise.all(admitted)).resolves.toHaveLength(2);
  });

  it('validates the request before any stage is called', async () => {
    const { client, orchestrator } = setup();
    const bad: ProcessRequest[] = [
      { image: undefined, topK: 0, includeIntermediates: false },
      request('x', { image: { data: Buffer.alloc(0), format: '', width: 0, height: 0, channels: 0, fileName: 'a' } }),
      request('x', { topK: 1001 }),
      request('x', { topK: -1 }),
    ];
    for (const r of bad) {
      await expect(orchestrator.process(r)).rejects.toMatchObject({ code: PipelineErrorCode.INVALID_ARGUMENT });
    }
    expect(client.calls).toHaveLength(0);
    const image = { data: Buffer.from('p'), format: 'png', width: 1, height: 1, fileName: '../../etc/passwd', channels: 0 };
    await expect(orchestrator.process({ image, topK: 0, includeIntermediates: false })).resolves.toMatchObject({ fileName: 'passwd' });
    expect(client.calls[0].fileName).toBe('passwd');
  });

  it('close lets admitted images finish, then refuses new ones', async () => {
    const { client, orchestrator } = setup();
    const release = client.hold('upload');
    const inFlight = orchestrator.process(request('last'));
    let closed = false;
    const closing = orchestrator.close().then(() => (closed = true));
    await expect(orchestrator.process(request('late'))).rejects.toMatchObject({ code: PipelineErrorCode.STAGE_UNAVAILABLE });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(false);
    release();
    await expect(inFlight).resolves.toMatchObject({ fileName: 'last.jpg' });
    await closing;
    expect(closed).toBe(true);
    expect(client.closed).toBe(false);
  });
});
