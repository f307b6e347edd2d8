import type { StageServiceName } from '@imagepipeline/config';
import { testPhotoPath } from '@imagepipeline/imaging/testing';
import { createStageRuntime, type AnyStageRuntime } from '@imagepipeline/stages';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';
import { formData, jsonOf, testStageConfig } from './testing/rest-test-kit';

const coffee = readFileSync(testPhotoPath('coffee.png'));
const COFFEE = { width: 600, height: 400 };

/** The four stage services with their real runtimes and models, one server each. */
const services = {} as Record<StageServiceName, { runtime: AnyStageRuntime; server: RunningRestServer }>;

beforeAll(async () => {
  for (const service of ['uploader', 'noise-reducer', 'background-remover', 'classifier'] as const) {
    const config = testStageConfig(service);
    const runtime = createStageRuntime(service, config);
    const server = await startRestServer(await buildStageRestServer(runtime, config.server), config.server);
    services[service] = { runtime, server };
  }
});

afterAll(async () => {
  for (const { runtime, server } of Object.values(services)) {
    await server.close();
    await runtime.close();
  }
});

const url = (service: StageServiceName, path: string) => services[service].server.url + path;

describe('stage services over REST with real models', () => {
  it('become ready once their model is loaded', async () => {
    const readyz = await fetch(url('classifier', '/readyz'));
    expect(readyz.status).toBe(services.classifier.runtime.isReady() ? 200 : 503);
    await Promise.all(Object.values(services).map(({ runtime }) => runtime.ready));
    for (const service of Object.keys(services) as StageServiceName[]) {
      expect((await fetch(url(service, '/readyz'))).status).toBe(200);
    }
  });

  it('uploads a multipart photo and answers the normalised PNG as JSON', async () => {
    const response = await fetch(url('uploader', '/v1/upload'), {
      method: 'POST',
      body: formData([{ field: 'image', bytes: coffee, name: 'coffee.png', type: 'image/png' }]),
    });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body.image).toMatchObject({ format: 'png', ...COFFEE, fileName: 'coffee.png' });
    expect(body.uploadId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reduces noise of a raw body and answers the PNG itself', async () => {
    const response = await fetch(url('noise-reducer', '/v1/reduce-noise?kernelSize=3'), {
      method: 'POST',
      body: coffee,
      headers: { 'content-type': 'image/png', accept: 'image/png' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(png).toMatchObject({ format: 'png', ...COFFEE });
  });

  it('removes the background: an RGBA PNG of the input size, as binary and as JSON', async () => {
    const binary = await fetch(url('background-remover', '/v1/remove-background'), {
      method: 'POST',
      body: formData([{ field: 'image', bytes: coffee, name: 'coffee.png', type: 'image/png' }]),
      headers: { accept: 'image/png' },
    });
    expect(binary.status).toBe(200);
    expect(binary.headers.get('x-image-width')).toBe(String(COFFEE.width));
    const png = await sharp(Buffer.from(await binary.arrayBuffer())).metadata();
    expect(png).toMatchObject({ format: 'png', channels: 4, hasAlpha: true, ...COFFEE });

    const json = await fetch(url('background-remover', '/v1/remove-background'), {
      method: 'POST',
      body: JSON.stringify({ image: { data: coffee.toString('base64'), fileName: 'coffee.png' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(200);
    const body = await jsonOf(json);
    expect(body.image).toMatchObject({ format: 'png', ...COFFEE, fileName: 'coffee.png' });
    expect((await sharp(Buffer.from(body.image.data, 'base64')).metadata()).channels).toBe(4);
  });

  it('classifies the coffee photo as an espresso in all three input forms', async () => {
    const answers = await Promise.all([
      fetch(url('classifier', '/v1/classify'), { method: 'POST', body: coffee, headers: { 'content-type': 'image/png' } }),
      fetch(url('classifier', '/v1/classify'), {
        method: 'POST',
        body: formData([{ field: 'image', bytes: coffee, name: 'coffee.png', type: 'image/png' }], { topK: '3' }),
      }),
      fetch(url('classifier', '/v1/classify'), {
        method: 'POST',
        body: JSON.stringify({ image: { data: coffee.toString('base64') }, topK: 2 }),
        headers: { 'content-type': 'application/json', accept: 'image/png, application/json;q=0.5' },
      }),
    ]);
    const bodies = await Promise.all(answers.map((answer) => jsonOf(answer)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(bodies.map((body) => body.label)).toEqual(['espresso', 'espresso', 'espresso']);
    expect(bodies.map((body) => body.topK.length)).toEqual([5, 3, 2]);
    expect(bodies[0].topK[0]).toMatchObject({ label: 'espresso', classIndex: 967 });
    expect(bodies[0].computeMs).toBeGreaterThan(0);
  });

  it('answers a bad image with 400 IMAGE_UNREADABLE from every stage', async () => {
    const garbage = Buffer.from('definitely not an image, just some bytes');
    for (const [service, path] of [
      ['uploader', '/v1/upload'],
      ['noise-reducer', '/v1/reduce-noise'],
      ['background-remover', '/v1/remove-background'],
      ['classifier', '/v1/classify'],
    ] as const) {
      const response = await fetch(url(service, path), {
        method: 'POST',
        body: garbage,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(response.status, service).toBe(400);
      expect((await jsonOf(response)).error, service).toBe('IMAGE_UNREADABLE');
    }
  });
});
