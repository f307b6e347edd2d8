import { join } from 'node:path';
import type { StageClient } from '@imagepipeline/pipeline';
import { frameCountsSince, startCountingProxy, type CountingProxy, type RunningService } from '@imagepipeline/topology';
import { GrpcStageClient } from '@imagepipeline/transport-grpc';
import { RestStageClient } from '@imagepipeline/transport-rest';
import { echoAddresses, startEchoStage } from './echo-stage';
import type { Payload } from './payloads';
import { readCpuMs } from './process-usage';
import type { EchoSample } from './samples';
import type { Placement } from './stacks';
import { interleaved, PROTOCOL_OF, VARIANT_ENV, VARIANTS, type Variant } from './variants';

export interface EchoPlan {
  topology: string;
  placement: Placement;
  payloads: readonly Payload[];
  warmups: number;
  repetitions: number;
  root: string;
  workDir: string;
  basePort: number;
  log: (line: string) => void;
}

/** Starts the echo stage for a variant (in the uploader's namespace when distributed). */
function startEcho(variant: Variant, plan: EchoPlan, port: number): Promise<RunningService> {
  return startEchoStage({
    name: `echo-${variant}`,
    protocol: PROTOCOL_OF[variant],
    host: plan.placement.hosts.uploader,
    port,
    env: VARIANT_ENV[variant],
    root: plan.root,
    logDir: join(plan.workDir, 'logs', plan.topology),
    namespace: plan.placement.namespaces?.uploader,
  });
}

function stageClient(variant: Variant, address: string): StageClient {
  const addresses = echoAddresses(address);
  if (variant === 'grpc') return new GrpcStageClient({ addresses, retries: 0 });
  return new RestStageClient({ addresses, retries: 0, encoding: variant === 'rest-json' ? 'json-base64' : 'binary', http2: variant === 'rest-h2' });
}

/**
 * Calls the echo stage with each variant and payload, interleaved: through counting relays, or
 * straight to it when the placement is direct (then no bytes are counted).
 */
export async function measureEcho(plan: EchoPlan): Promise<EchoSample[]> {
  const echoes: RunningService[] = [];
  const proxies: Partial<Record<Variant, CountingProxy>> = {};
  const clients = {} as Record<Variant, StageClient>;
  const servers = {} as Record<Variant, RunningService>;
  const samples: EchoSample[] = [];
  try {
    // An echo stage per variant, each started as that variant's stages are.
    for (const [i, variant] of VARIANTS.entries()) {
      servers[variant] = await startEcho(variant, plan, plan.basePort + i);
      echoes.push(servers[variant]);
      const target = { host: plan.placement.hosts.uploader, port: plan.basePort + i };
      if (!plan.placement.direct) {
        proxies[variant] = await startCountingProxy({ listenHost: '127.0.0.1', port: plan.basePort + 10 + i, target, delayMs: plan.placement.relayDelayMs });
      }
      clients[variant] = stageClient(variant, proxies[variant]?.address ?? `${target.host}:${target.port}`);
    }
    for (let rep = -plan.warmups; rep < plan.repetitions; rep++) {
      for (const payload of plan.payloads) {
        for (const variant of interleaved(rep + plan.warmups)) {
          const sample = await callEcho(clients[variant], proxies[variant], servers[variant], variant, payload, plan.topology, rep);
          if (rep >= 0) samples.push(sample);
        }
      }
    }
    plan.log(`  echo ${plan.topology}: ${samples.length} calls`);
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await Promise.all(Object.values(proxies).map((proxy) => proxy?.close()));
    for (const echo of echoes) await echo.stop();
  }
  return samples;
}

async function callEcho(
  client: StageClient,
  proxy: CountingProxy | undefined,
  server: RunningService,
  variant: Variant,
  payload: Payload,
  topology: string,
  rep: number,
): Promise<EchoSample> {
  const before = proxy?.counts();
  const framesBefore = proxy?.frames();
  const sample: EchoSample = {
    topology,
    variant,
    payload: payload.name,
    megapixels: payload.megapixels,
    payloadBytes: payload.bytes,
    rep,
    observedMs: Number.NaN,
    computeMs: Number.NaN,
    transportMs: Number.NaN,
    bytes: { up: 0, down: 0 },
  };
  try {
    const serverCpu = await readCpuMs(server.process.pid ?? 0);
    const clientCpu = process.cpuUsage();
    const start = performance.now();
    const answer = await client.upload(payload.image, AbortSignal.timeout(60_000));
    sample.observedMs = performance.now() - start;
    const clientCpuUsed = process.cpuUsage(clientCpu);
    sample.clientCpuMs = (clientCpuUsed.user + clientCpuUsed.system) / 1000;
    sample.serverCpuMs = (await readCpuMs(server.process.pid ?? 0)) - serverCpu;
    sample.computeMs = answer.computeMs;
    sample.transportMs = sample.observedMs - answer.computeMs;
  } catch (error) {
    sample.error = (error as Error).message;
  }
  if (!proxy || !before || !framesBefore) {
    sample.bytes = { up: Number.NaN, down: Number.NaN };
    return sample;
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  const after = proxy.counts();
  sample.bytes = { up: after.up - before.up, down: after.down - before.down };
  const frames = proxy.frames();
  sample.frames = { up: frameCountsSince(frames.up, framesBefore.up), down: frameCountsSince(frames.down, framesBefore.down) };
  return sample;
}
