// The limits follow from one another: an image of exactly the pixel limit, RGBA and 16 bits deep,
// goes through every stage on both protocols (no stage refuses what an earlier one produced), and
// one row more is refused once, by the uploader, before any work. The services run with a small
// pixel limit so the test stays light; the message limits follow from it as at any setting.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, type Protocol, type ServiceName } from '@imagepipeline/config';
import { PipelineErrorCode, type Image, type ProcessResult } from '@imagepipeline/contracts';
import type { OrchestratorClient } from '@imagepipeline/client';
import { makeNoisyGradient } from '@imagepipeline/imaging/testing';
import { testModelEnv } from '@imagepipeline/models/testing';
import { LOCAL_HOSTS, planServices, startServices, type StartedServices } from '@imagepipeline/topology';
import { GrpcOrchestratorClient } from '@imagepipeline/transport-grpc';
import { RestOrchestratorClient } from '@imagepipeline/transport-rest';
import { REPO_ROOT } from './run-cli';

const WIDTH = 2000;
const HEIGHT = 1500;
const MAX_PIXELS = WIDTH * HEIGHT;

/** A photo-like image of `height` rows: gradient, Gaussian and salt-and-pepper noise. */
function noisyPhoto(height: number, channels: 3 | 4) {
  const raw = makeNoisyGradient({ width: WIDTH, height, channels, seed: height });
  return sharp(raw.data, { raw: { width: WIDTH, height, channels } });
}

const imageOf = (data: Buffer, fileName: string): Image => ({ data, format: '', width: 0, height: 0, fileName, channels: 0 });

describe.each([
  ['grpc', 22300],
  ['rest', 22400],
] as const)('images at the pixel limit over %s', (protocol: Protocol, basePort: number) => {
  let work: string;
  let services: StartedServices;
  let client: OrchestratorClient;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `pixel-limit-${protocol}-`));
    const ports = Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, basePort + i])) as Record<ServiceName, number>;
    services = await startServices({
      protocol,
      services: planServices(protocol, LOCAL_HOSTS, {
        ports,
        env: { ...testModelEnv(), PIPELINE_MAX_PIXELS: String(MAX_PIXELS), LOG_LEVEL: 'warn' },
      }),
      root: REPO_ROOT,
      logDir: join(work, 'logs'),
      log: () => undefined,
    });
    const address = `127.0.0.1:${ports.orchestrator}`;
    client = protocol === 'grpc' ? new GrpcOrchestratorClient(address) : new RestOrchestratorClient(address);
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await services?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const process = (image: Image) => client.process(image, { topK: 3, includeIntermediates: true });

  async function expectWholeResult(result: ProcessResult, inputChannels: number) {
    expect(result.timeline.map((span) => span.stage).sort()).toEqual(['background_removal', 'classification', 'noise_reduction', 'upload']);
    expect(await sharp(result.processedImage!.data).metadata()).toMatchObject({ format: 'png', width: WIDTH, height: HEIGHT, channels: 4 });
    for (const intermediate of [result.uploadedImage!, result.denoisedImage!]) {
      expect(await sharp(intermediate.data).metadata()).toMatchObject({ format: 'png', width: WIDTH, height: HEIGHT, channels: inputChannels });
    }
    expect(result.label).not.toBe('');
  }

  it('takes a JPEG photo of exactly the pixel limit through every stage', async () => {
    const jpeg = await noisyPhoto(HEIGHT, 3).jpeg({ quality: 92 }).toBuffer();
    await expectWholeResult(await process(imageOf(jpeg, 'edge.jpg')), 3);
  }, 120_000);

  it('takes a 16-bit RGBA PNG of exactly the pixel limit (the largest raw pixels) through every stage', async () => {
    const png = await noisyPhoto(HEIGHT, 4).toColourspace('rgb16').png({ compressionLevel: 1 }).toBuffer();
    expect(await sharp(png).metadata()).toMatchObject({ depth: 'ushort', channels: 4 });
    await expectWholeResult(await process(imageOf(png, 'edge-rgba16.png')), 4);
  }, 120_000);

  // Stage messages of tens of MB both ways, several calls on one connection: a flow-control window
  // too large for the socket buffers once let both ends of a gRPC connection write and neither read.
  it('takes four such photos at once, twice', async () => {
    const png = await noisyPhoto(HEIGHT, 4).toColourspace('rgb16').png({ compressionLevel: 1 }).toBuffer();
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all([1, 2, 3, 4].map((i) => process(imageOf(png, `edge-${i}.png`))));
      for (const result of results) await expectWholeResult(result, 4);
    }
  }, 180_000);

  it('refuses one row more at the uploader, before any work, with IMAGE_TOO_MANY_PIXELS', async () => {
    const jpeg = await noisyPhoto(HEIGHT + 1, 3).jpeg({ quality: 92 }).toBuffer();
    const failure = await process(imageOf(jpeg, 'over.jpg')).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: PipelineErrorCode.IMAGE_TOO_MANY_PIXELS,
      message: expect.stringMatching(/upload failed: .*2000×1501 = 3002000 px, over the limit of 3000000 px/),
    });
  }, 60_000);
});
