import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStageServiceConfig, type StageServiceName } from '@imagepipeline/config';
import { testModelEnv } from '@imagepipeline/models/testing';
import { createStageRuntime } from '@imagepipeline/stages';
import { startGrpcServer, type RunningGrpcServer } from '../../src/grpc-server';
import { stageGrpcService } from '../../src/stage-services';

/** Width, height and colour type (6 = RGBA, 2 = RGB) from a PNG's IHDR chunk. */
export function pngHeader(data: Uint8Array): { width: number; height: number; colorType: number } {
  const bytes = Buffer.from(data);
  if (bytes.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colorType: bytes[25] };
}

export interface RealStageServers {
  addresses: Record<StageServiceName, string>;
  servers: Record<StageServiceName, RunningGrpcServer>;
  close(): Promise<void>;
}

const STAGE_SERVICES: StageServiceName[] = ['uploader', 'noise-reducer', 'background-remover', 'classifier'];

/**
 * The four stage services as in production, one server each on a free loopback port, with the
 * real runtimes and models; resolves once every model is loaded.
 */
export async function startRealStageServers(env: Record<string, string> = {}): Promise<RealStageServers> {
  const workDir = await mkdtemp(join(tmpdir(), 'transport-grpc-'));
  const servers = {} as Record<StageServiceName, RunningGrpcServer>;
  for (const service of STAGE_SERVICES) {
    const config = loadStageServiceConfig(service, 'grpc', {
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...testModelEnv(),
      ...env,
    });
    const runtime = createStageRuntime(service, config);
    servers[service] = await startGrpcServer({
      config: config.server,
      services: [stageGrpcService(runtime)],
      ready: runtime.ready,
      resources: [runtime],
    });
    await runtime.ready;
  }
  const addresses = Object.fromEntries(STAGE_SERVICES.map((s) => [s, servers[s].address])) as Record<StageServiceName, string>;
  return {
    addresses,
    servers,
    close: async () => {
      await Promise.all(Object.values(servers).map((server) => server.close()));
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
