// SIGTERM on the REST orchestrator with a job running: new work is refused, the job finishes, and
// its result stays readable until a client has collected it; only then does the server close.
import { testPhotoPath } from '@imagepipeline/imaging/testing';
import { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import { FakeStageClient } from '@imagepipeline/pipeline/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOrchestratorRestServer } from './run-rest-server';
import { jsonOf, testServerConfig } from './testing/rest-test-kit';

const rocket = readFileSync(testPhotoPath('rocket.jpg'));
const postImage = (url: string, route: string) => fetch(`${url}${route}`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });

describe('shutting down the REST orchestrator with a job in flight', () => {
  it('refuses new work, finishes the job and serves its result until it is collected', async () => {
    const client = new FakeStageClient();
    const release = client.hold('background_removal');
    const orchestrator = new Orchestrator(client);
    const jobs = new JobStore(orchestrator);
    const service = await runOrchestratorRestServer(orchestrator, jobs, testServerConfig('orchestrator', { shutdownGraceMs: 20_000 }), { signals: [] });
    const { id } = await jsonOf(postImage(service.server.url, '/v1/jobs'));
    const status = async () => (await jsonOf(fetch(`${service.server.url}/v1/jobs/${id}?images=false`))).status;
    await expect.poll(() => client.calls.map((call) => call.stage)).toContain('background_removal');

    let closed = false;
    const shutdown = service.shutdown().then(() => (closed = true));
    expect((await fetch(`${service.server.url}/readyz`)).status).toBe(503);
    expect((await postImage(service.server.url, '/v1/jobs')).status).toBe(503);
    expect((await postImage(service.server.url, '/v1/pipeline')).status).toBe(503);
    expect(await status()).toBe('running');

    release();
    await expect.poll(status).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);

    const collected = await fetch(`${service.server.url}/v1/jobs/${id}`);
    expect(collected.status).toBe(200);
    expect((await jsonOf(collected)).result.processedImage.data).toBeTruthy();
    await shutdown;
    await expect(fetch(`${service.server.url}/healthz`)).rejects.toThrow();
  });
});
