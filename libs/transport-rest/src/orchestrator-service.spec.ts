import type { StageServiceName } from '@imagepipeline/config';
import { STAGE_NAMES } from '@imagepipeline/contracts';
import { testPhotoPath } from '@imagepipeline/imaging/testing';
import { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import { createStageRuntime, type AnyStageRuntime } from '@imagepipeline/stages';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrchestratorRestServer, buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';
import { RestStageClient } from './rest-stage-client';
import { closedPort, formData, jsonOf, testServerConfig, testStageConfig } from './testing/rest-test-kit';

const coffee = readFileSync(testPhotoPath('coffee.png'));
const COFFEE = { width: 600, height: 400 };
const STAGE_SERVICES = ['uploader', 'noise-reducer', 'background-remover', 'classifier'] as const;

const runtimes: AnyStageRuntime[] = [];
const servers: RunningRestServer[] = [];
const closeables: { close(): Promise<void> }[] = [];
const addresses = {} as Record<StageServiceName, string>;

/** An orchestrator REST server calling the stages at `stageAddresses`. */
async function startOrchestrator(stageAddresses: Record<StageServiceName, string>): Promise<RunningRestServer> {
  const client = new RestStageClient({ addresses: stageAddresses, retries: 1, initialBackoffMs: 20 });
  const orchestrator = new Orchestrator(client);
  const jobs = new JobStore(orchestrator, { ttlMs: 60_000 });
  const config = testServerConfig('orchestrator');
  const server = await startRestServer(await buildOrchestratorRestServer(orchestrator, jobs, config), config);
  servers.push(server);
  closeables.push(jobs, orchestrator, client);
  return server;
}

let orchestrator: RunningRestServer;

beforeAll(async () => {
  for (const service of STAGE_SERVICES) {
    const config = testStageConfig(service);
    const runtime = createStageRuntime(service, config);
    const server = await startRestServer(await buildStageRestServer(runtime, config.server), config.server);
    runtimes.push(runtime);
    servers.push(server);
    addresses[service] = `127.0.0.1:${server.port}`;
  }
  await Promise.all(runtimes.map((runtime) => runtime.ready));
  orchestrator = await startOrchestrator(addresses);
});

afterAll(async () => {
  for (const server of servers.reverse()) await server.close();
  for (const resource of [...closeables, ...runtimes]) await resource.close();
});

describe('the orchestrator over REST, against four real stage servers', () => {
  it('runs POST /v1/pipeline and answers the result as JSON', async () => {
    const response = await fetch(`${orchestrator.url}/v1/pipeline`, {
      method: 'POST',
      body: formData([{ field: 'image', bytes: coffee, name: 'coffee.png', type: 'image/png' }], { includeIntermediates: 'true' }),
    });
    expect(response.status).toBe(200);
    const result = await jsonOf(response);
    expect(result).toMatchObject({ fileName: 'coffee.png', label: 'espresso' });
    expect(result.uploadId).toMatch(/^[0-9a-f]{64}$/);
    expect(result.timeline.map((span: { stage: string }) => span.stage)).toEqual([...STAGE_NAMES]);
    for (const span of result.timeline) expect(span.computeMs).toBeGreaterThan(0);
    expect(result.processedImage).toMatchObject({ format: 'png', ...COFFEE });
    const png = await sharp(Buffer.from(result.processedImage.data, 'base64')).metadata();
    expect(png).toMatchObject({ channels: 4, ...COFFEE });
    expect(result.uploadedImage).toMatchObject({ format: 'png', ...COFFEE });
    expect(result.denoisedImage).toMatchObject({ format: 'png', ...COFFEE });
  });

  it('answers the processed PNG with label and timeline headers for Accept: image/png', async () => {
    const response = await fetch(`${orchestrator.url}/v1/pipeline?fileName=coffee.png`, {
      method: 'POST',
      body: coffee,
      headers: { 'content-type': 'image/png', accept: 'image/png' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(decodeURIComponent(response.headers.get('x-label') ?? '')).toBe('espresso');
    expect(response.headers.get('x-file-name')).toBe('coffee.png');
    const timeline = (response.headers.get('x-timeline') ?? '').split(', ');
    expect(timeline.map((entry) => entry.split(';')[0])).toEqual([...STAGE_NAMES]);
    expect(timeline[0]).toMatch(/^upload;enqueued=[\d.]+;started=[\d.]+;ended=[\d.]+;compute=[\d.]+$/);
    const png = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(png).toMatchObject({ channels: 4, ...COFFEE });
  });

  it('runs a job: 202 with Location, status until done, then its image', async () => {
    const submitted = await fetch(`${orchestrator.url}/v1/jobs`, {
      method: 'POST',
      body: JSON.stringify({ image: { data: coffee.toString('base64'), fileName: 'coffee.png' }, topK: 3 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(submitted.status).toBe(202);
    const { id, status } = await jsonOf(submitted);
    expect(status).toBe('queued');
    const location = submitted.headers.get('location');
    expect(location).toBe(`/v1/jobs/${id}`);

    const early = await fetch(`${orchestrator.url}${location}/image`);
    expect(early.status).toBe(409);
    expect(early.headers.get('retry-after')).toBe('1');

    let job = await jsonOf(fetch(`${orchestrator.url}${location}`));
    for (let polls = 0; job.status !== 'done' && job.status !== 'failed' && polls < 300; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await jsonOf(fetch(`${orchestrator.url}${location}`));
    }
    expect(job).toMatchObject({ id, status: 'done', result: { label: 'espresso', fileName: 'coffee.png' } });
    expect(job.result.topK).toHaveLength(3);
    expect(job.result.timeline).toHaveLength(4);
    expect([...job.stagesDone].sort()).toEqual([...STAGE_NAMES].sort());

    const image = await fetch(`${orchestrator.url}${location}/image`);
    expect(image.status).toBe(200);
    expect(decodeURIComponent(image.headers.get('x-label') ?? '')).toBe('espresso');
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).channels).toBe(4);
  });

  it('answers 404 for an unknown job', async () => {
    for (const path of ['/v1/jobs/no-such-job', '/v1/jobs/no-such-job/image']) {
      const response = await fetch(orchestrator.url + path);
      expect(response.status).toBe(404);
      expect((await jsonOf(response)).error).toBe('NOT_FOUND');
    }
  });

  it('answers a bad image with the stage error and its status', async () => {
    const response = await fetch(`${orchestrator.url}/v1/pipeline`, {
      method: 'POST',
      body: Buffer.from('not an image at all'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: 'IMAGE_UNREADABLE', message: expect.stringMatching(/upload/) });
  });

  it('reports per-stage queues in /metrics', async () => {
    const text = await (await fetch(`${orchestrator.url}/metrics`)).text();
    expect(text).toMatch(/pipeline_queue_concurrency\{queue="background_removal",service="orchestrator",protocol="rest"\} 1/);
    expect(text).toMatch(/pipeline_requests_total\{method="POST \/v1\/pipeline",code="200"/);
  });

  it('answers 503 when the background remover is unreachable, and keeps serving', async () => {
    const broken = await startOrchestrator({ ...addresses, 'background-remover': `127.0.0.1:${await closedPort()}` });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await fetch(`${broken.url}/v1/pipeline`, {
        method: 'POST',
        body: coffee,
        headers: { 'content-type': 'image/png' },
      });
      expect(response.status).toBe(503);
      const body = await jsonOf(response);
      expect(body.error).toBe('STAGE_UNAVAILABLE');
      expect(body.message).toMatch(/background_removal/);
    }
    expect((await fetch(`${broken.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${broken.url}/readyz`)).status).toBe(200);
  });
});
