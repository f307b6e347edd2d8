import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { credentials, status } from '@grpc/grpc-js';
import { OrchestratorServiceClient, STAGE_NAMES, type Image, type ProcessEvent, type ProcessResult } from '@imagepipeline/contracts';
import { testPhotoImage, testPhotoPath } from '@imagepipeline/imaging/testing';
import { Orchestrator } from '@imagepipeline/pipeline';
import { canRunWith, PYTHON_GRPC } from '@imagepipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcStageClient, type GrpcStageClientOptions } from '../src/grpc-stage-client';
import { OrchestratorGrpcService } from '../src/orchestrator-service';
import { startGrpcServer } from '../src/grpc-server';
import { callUnary, checkHealth, closedPort, collectStream, failureOf } from './support/grpc-calls';
import { pngHeader, startRealStageServers, type RealStageServers } from './support/real-stages';
import { testServerConfig } from './support/server-config';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PROTO_DIR = fileURLToPath(new URL('../../contracts/proto', import.meta.url));
const INTEROP_SCRIPT = fileURLToPath(new URL('./interop/call_services.py', import.meta.url));

/** An orchestrator server calling the stages at `addresses` through a GrpcStageClient. */
async function startOrchestrator(addresses: GrpcStageClientOptions['addresses'], retries = 2) {
  const stageClient = new GrpcStageClient({ addresses, retries, initialBackoffMs: 20 });
  const orchestrator = new Orchestrator(stageClient);
  const server = await startGrpcServer({
    config: testServerConfig({ maxConcurrent: 16, maxQueued: 16 }),
    services: [new OrchestratorGrpcService(orchestrator)],
    resources: [orchestrator, stageClient],
  });
  const client = new OrchestratorServiceClient(server.address, credentials.createInsecure());
  return { server, client, close: async () => (client.close(), await server.close()) };
}

describe('orchestrator over gRPC, end to end against the four real stage servers', () => {
  let stages: RealStageServers;
  let main: Awaited<ReturnType<typeof startOrchestrator>>;
  let coffee: Image;

  beforeAll(async () => {
    stages = await startRealStageServers();
    main = await startOrchestrator(stages.addresses);
    coffee = await testPhotoImage('coffee.png');
  });
  afterAll(async () => {
    await main?.close();
    await stages?.close();
  });

  it('Process: label, RGBA output at the input size and a four-span timeline', async () => {
    const result = await callUnary<ProcessResult>((done) => main.client.process({ image: coffee, topK: 3, includeIntermediates: true }, done));
    expect(result.label).toBe('espresso');
    expect(result.topK).toHaveLength(3);
    expect(result.fileName).toBe('coffee.png');
    const { width, height } = result.uploadedImage!;
    expect([width, height]).toEqual([600, 400]);
    expect(pngHeader(result.processedImage!.data)).toEqual({ width, height, colorType: 6 });
    expect(result.denoisedImage).toMatchObject({ format: 'png', width, height });
    expect(result.timeline.map((span) => span.stage)).toEqual([...STAGE_NAMES]);
    for (const span of result.timeline) {
      expect(span.computeMs).toBeGreaterThan(0);
      expect(span.endedAtMs).toBeGreaterThanOrEqual(span.startedAtMs);
    }
    expect(result.uploadId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ProcessStream: a stageDone event per stage as it finishes, then the result', async () => {
    const events: ProcessEvent[] = await collectStream(main.client.processStream({ image: coffee, topK: 1, includeIntermediates: false }));
    expect(events).toHaveLength(5);
    const done = events.slice(0, 4).map((e) => (e.event?.$case === 'stageDone' ? e.event.value.stage : e.event?.$case));
    expect([...done].sort()).toEqual([...STAGE_NAMES].sort());
    expect(done.slice(0, 2)).toEqual(['upload', 'noise_reduction']);
    const last = events[4].event;
    expect(last?.$case).toBe('result');
    if (last?.$case === 'result') {
      expect(last.value.label).toBe('espresso');
      expect(last.value.timeline).toHaveLength(4);
    }
  });

  it('answers UNAVAILABLE for an image whose background remover cannot be reached, and stays serving', async () => {
    const broken = await startOrchestrator({ ...stages.addresses, 'background-remover': `127.0.0.1:${await closedPort()}` }, 1);
    try {
      const request = { image: coffee, topK: 1, includeIntermediates: false };
      const failure = await failureOf(callUnary((done) => broken.client.process(request, done)));
      expect(failure).toMatchObject({ code: status.UNAVAILABLE, pipelineCode: 'STAGE_UNAVAILABLE' });
      expect(failure.details).toContain('background');
      expect(await checkHealth(broken.server.address)).toBe('SERVING');
      expect((await failureOf(callUnary((done) => broken.client.process(request, done)))).code).toBe(status.UNAVAILABLE);
    } finally {
      await broken.close();
    }
  });

  describe.runIf(canRunWith(PYTHON_GRPC, 'Python interop test (transport-grpc)'))('Python interop (grpcio client, stubs generated by grpc_tools.protoc)', () => {
    let stubsDir: string;

    beforeAll(async () => {
      stubsDir = await mkdtemp(join(tmpdir(), 'pipeline-py-stubs-'));
      await run(PYTHON, ['-m', 'grpc_tools.protoc', `-I${PROTO_DIR}`, `--python_out=${stubsDir}`, `--grpc_python_out=${stubsDir}`, 'imagepipeline/v1/pipeline.proto']);
    });
    afterAll(() => rm(stubsDir, { recursive: true, force: true }));

    it('calls every service and gets the same answers', async () => {
      const config = {
        uploader: stages.addresses.uploader,
        noise_reducer: stages.addresses['noise-reducer'],
        background_remover: stages.addresses['background-remover'],
        classifier: stages.addresses.classifier,
        orchestrator: main.server.address,
        image: testPhotoPath('coffee.png'),
      };
      const { stdout } = await run(PYTHON, [INTEROP_SCRIPT, stubsDir, JSON.stringify(config)], { timeout: 120_000 });
      const out = JSON.parse(stdout);
      const size = { width: 600, height: 400 };
      expect(out.upload.image).toMatchObject({ format: 'png', ...size, file_name: 'coffee.png', png: { ...size } });
      expect(out.upload.upload_id).toMatch(/^[0-9a-f]{64}$/);
      expect(out.reduce_noise.image).toMatchObject({ format: 'png', ...size });
      expect(out.remove_background.image).toMatchObject({ format: 'png', ...size, png: { ...size, color_type: 6 } });
      expect(out.classify).toMatchObject({ label: 'espresso' });
      expect(out.classify.top_k).toHaveLength(3);
      expect(out.garbage).toEqual({ code: 'INVALID_ARGUMENT', pipeline_code: 'IMAGE_UNREADABLE' });
      expect(out.process).toMatchObject({ label: 'espresso', processed_image: { png: { ...size, color_type: 6 } } });
      expect(out.process.timeline).toEqual([...STAGE_NAMES]);
      expect(out.process_stream).toHaveLength(5);
      expect(out.process_stream[4]).toEqual({ result: 'espresso' });
    });
  });
});
