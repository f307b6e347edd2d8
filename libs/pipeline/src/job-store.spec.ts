import { PipelineError, PipelineErrorCode, type ProcessRequest } from '@imagepipeline/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobStore, type JobStoreOptions } from './job-store';
import { Orchestrator } from './orchestrator';
import type { OrchestratorOptions } from './orchestrator-options';
import { FakeStageClient, type FakeStageClientOptions } from './testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function request(name: string): ProcessRequest {
  return { image: { data: Buffer.from(name), format: 'png', width: 1, height: 1, fileName: name, channels: 0 }, topK: 0, includeIntermediates: false };
}

let cleanup: Array<() => Promise<void>> = [];
function setup(store: JobStoreOptions = {}, fake: FakeStageClientOptions = {}, options: OrchestratorOptions = {}) {
  const client = new FakeStageClient(fake);
  const orchestrator = new Orchestrator(client, options);
  const jobs = new JobStore(orchestrator, store);
  cleanup.push(() => jobs.close(), () => orchestrator.close());
  return { client, orchestrator, jobs };
}

afterEach(async () => {
  vi.useRealTimers();
  for (const close of cleanup) await close();
  cleanup = [];
});

describe('JobStore', () => {
  it('goes queued → running → done, recording finished stages and the result', async () => {
    const { client, jobs } = setup({}, {}, { stages: { upload: { concurrency: 1 } } });
    const release = client.hold('upload');
    const first = jobs.submit(request('one'));
    const second = jobs.submit(request('two'));
    expect(first.id).toMatch(UUID);
    expect(second.id).not.toBe(first.id);
    await vi.waitFor(() => expect(jobs.get(first.id)).toMatchObject({ status: 'running', stagesDone: [] }));
    expect(jobs.get(second.id)).toMatchObject({ id: second.id, status: 'queued', stagesDone: [] });
    expect(jobs.get(second.id).submittedAtMs).toBeGreaterThan(0);
    expect(jobs.stats()).toEqual({ jobs: 2, queued: 1, running: 1, done: 0, failed: 0 });

    release();
    await vi.waitFor(() => expect(jobs.get(second.id).status).toBe('done'));
    const view = jobs.get(second.id);
    expect(view.result?.processedImage?.data.toString()).toBe('two|uploaded|denoised|removed');
    expect(view.stagesDone.slice(0, 2)).toEqual(['upload', 'noise_reduction']);
    expect([...view.stagesDone].sort()).toEqual(['background_removal', 'classification', 'noise_reduction', 'upload']);
    expect(view.finishedAtMs).toBeGreaterThanOrEqual(view.submittedAtMs);
    expect(view.error).toBeUndefined();
  });

  it('records a failed job with its code and message', async () => {
    const { jobs } = setup({}, {
      failWith: { noise_reduction: () => new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'no route') },
    });
    const { id } = jobs.submit(request('x'));
    await vi.waitFor(() => expect(jobs.get(id).status).toBe('failed'));
    expect(jobs.get(id)).toMatchObject({
      stagesDone: ['upload'],
      result: undefined,
      error: { code: PipelineErrorCode.STAGE_UNAVAILABLE, message: 'noise_reduction failed: stage unavailable (no route)' },
    });
  });

  it('answers NOT_FOUND for an unknown id', () => {
    const { jobs } = setup();
    expect(() => jobs.get('no-such-job')).toThrow(
      expect.objectContaining({ code: PipelineErrorCode.NOT_FOUND, message: expect.stringContaining('no-such-job') }),
    );
  });

  it('forgets a finished job after its TTL', async () => {
    // setImmediate stays real: the orchestrator reads the image's header (sharp, off the event
    // loop) before the first stage, and the job finishes in real turns of the loop.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { jobs } = setup({ ttlMs: 1_000 });
    const { id } = jobs.submit(request('x'));
    while (jobs.get(id).status !== 'done') await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(998);
    expect(jobs.get(id).status).toBe('done');
    await vi.advanceTimersByTimeAsync(2);
    expect(() => jobs.get(id)).toThrow(expect.objectContaining({ code: PipelineErrorCode.NOT_FOUND }));
    expect(jobs.stats().jobs).toBe(0);
  });

  it('evicts the oldest finished job when full, and refuses when every job is unfinished', async () => {
    const { client, jobs } = setup({ maxJobs: 2 });
    const first = jobs.submit(request('a'));
    const second = jobs.submit(request('b'));
    await vi.waitFor(() => expect(jobs.stats().done).toBe(2));
    const release = client.hold('upload');
    const third = jobs.submit(request('c'));
    expect(() => jobs.get(first.id)).toThrow(expect.objectContaining({ code: PipelineErrorCode.NOT_FOUND }));
    expect(jobs.get(second.id).status).toBe('done');
    const fourth = jobs.submit(request('d'));
    expect(() => jobs.get(second.id)).toThrow(expect.objectContaining({ code: PipelineErrorCode.NOT_FOUND }));
    expect(() => jobs.submit(request('e'))).toThrow(
      expect.objectContaining({ code: PipelineErrorCode.QUEUE_FULL, scope: 'job store', bound: 2 }),
    );
    release();
    await vi.waitFor(() => expect(jobs.get(fourth.id).status).toBe('done'));
    expect(jobs.get(third.id).status).toBe('done');
  });

  it('evicts the oldest finished results when results would hold more bytes than the bound', async () => {
    // Each result's processed image is `<name>|uploaded|denoised|removed`: 27 bytes here.
    const { jobs } = setup({ maxResultBytes: 60 });
    const first = jobs.submit(request('a'));
    await vi.waitFor(() => expect(jobs.get(first.id).status).toBe('done'));
    const second = jobs.submit(request('b'));
    await vi.waitFor(() => expect(jobs.get(second.id).status).toBe('done'));
    expect(jobs.get(first.id).status).toBe('done');
    const third = jobs.submit(request('c'));
    await vi.waitFor(() => expect(jobs.get(third.id).status).toBe('done'));
    expect(() => jobs.get(first.id)).toThrow(expect.objectContaining({ code: PipelineErrorCode.NOT_FOUND }));
    expect(jobs.get(second.id).status).toBe('done');
  });

  it('drains: refuses new jobs and resolves once every job finished and its outcome was read', async () => {
    const { client, jobs } = setup();
    const release = client.hold('upload');
    const { id } = jobs.submit(request('x'));
    let drained = false;
    const drain = jobs.drain().then(() => (drained = true));
    expect(() => jobs.submit(request('y'))).toThrow(expect.objectContaining({ code: PipelineErrorCode.STAGE_UNAVAILABLE }));
    release();
    await vi.waitFor(() => expect(jobs.get(id).status).toBe('done'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    jobs.get(id, { collects: true });
    await drain;
  });

  it('refuses a bad request or a full orchestrator at once, storing nothing', () => {
    const { client, jobs } = setup({}, {}, { maxInFlightImages: 1 });
    expect(() => jobs.submit({ ...request('x'), topK: 5000 })).toThrow(
      expect.objectContaining({ code: PipelineErrorCode.INVALID_ARGUMENT }),
    );
    const release = client.hold('upload');
    jobs.submit(request('busy'));
    expect(() => jobs.submit(request('more'))).toThrow(
      expect.objectContaining({ code: PipelineErrorCode.QUEUE_FULL, scope: 'pipeline' }),
    );
    expect(jobs.stats().jobs).toBe(1);
    release();
  });

  it('refuses a job at submit, QUEUE_FULL with a retry-after, when its upload would pass what may wait for memory', async () => {
    // Budget 12 bytes: waiting uploads may hold 3. The 12-byte image runs, 'bb' waits, 'cc' would make 4.
    const { client, jobs, orchestrator } = setup({}, {}, { memoryBudgetBytes: 12 });
    const release = client.hold('upload');
    jobs.submit(request('aaaaaaaaaaaa'));
    await expect.poll(() => orchestrator.stats().memory.reservedBytes).toBe(12);
    jobs.submit(request('bb'));
    await expect.poll(() => orchestrator.stats().memory.waiting).toBe(1);
    expect(() => jobs.submit(request('cc'))).toThrow(expect.objectContaining({ code: PipelineErrorCode.QUEUE_FULL, scope: 'memory' }));
    expect(jobs.stats().jobs).toBe(2);
    release();
  });

  it('rejects bad options', () => {
    const orchestrator = { process: vi.fn(), checkAdmission: vi.fn() };
    expect(() => new JobStore(orchestrator, { ttlMs: 0 })).toThrow(/ttlMs: expected a positive integer, got 0/);
    expect(() => new JobStore(orchestrator, { maxJobs: -1 })).toThrow(/maxJobs/);
  });

  it('close waits for unfinished jobs, then refuses new ones and forgets every job', async () => {
    const { client, jobs } = setup();
    const release = client.hold('background_removal');
    const { id } = jobs.submit(request('x'));
    let closed = false;
    const closing = jobs.close().then(() => (closed = true));
    expect(() => jobs.submit(request('y'))).toThrow(expect.objectContaining({ code: PipelineErrorCode.STAGE_UNAVAILABLE }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(false);
    expect(jobs.get(id).status).toBe('running');
    release();
    await closing;
    expect(() => jobs.get(id)).toThrow(expect.objectContaining({ code: PipelineErrorCode.NOT_FOUND }));
    expect(jobs.stats().jobs).toBe(0);
  });
});
