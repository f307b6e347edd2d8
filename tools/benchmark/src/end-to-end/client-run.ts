import { Writable } from 'node:stream';
import { parseClientOptions, runPipelineClient, type OrchestratorClient } from '@imagepipeline/client';
import type { Protocol, ServiceName } from '@imagepipeline/config';
import { isImageFailure } from '@imagepipeline/reporting';
import { GrpcOrchestratorClient } from '@imagepipeline/transport-grpc';
import { RestOrchestratorClient } from '@imagepipeline/transport-rest';
import { readProcessUsage } from '../process-usage';
import type { ProtocolServices } from './protocol-services';

/** A process whose CPU a run counts: each service, and the client (this process). */
export type CpuAccount = ServiceName | 'client';

/** One run of the pipeline client over every input image. */
export interface ClientRun {
  protocol: Protocol;
  images: number;
  failed: number;
  /** `name: CODE: message` of every failed image. */
  errors: string[];
  /** The client's own clock: first request sent to last result received. */
  wallMs: number;
  /** CPU seconds (user + system) each process used during the run. */
  cpuSeconds: Record<CpuAccount, number>;
}

export interface ClientRunPlan {
  inputs: string[];
  concurrency: number;
  /** Where the client writes its results (thrown away: only the timing matters here). */
  out: string;
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * The client's CPU at its last result: it writes result files after that, outside the timed
 * window, so its CPU is read when the last image comes back rather than when it returns.
 */
class CpuAtLastResult implements OrchestratorClient {
  cpu = process.cpuUsage();
  constructor(private readonly inner: OrchestratorClient) {}
  async process(...args: Parameters<OrchestratorClient['process']>) {
    try {
      return await this.inner.process(...args);
    } finally {
      this.cpu = process.cpuUsage();
    }
  }
  close = () => this.inner.close();
}

async function serviceCpu(services: ProtocolServices): Promise<Record<ServiceName, number>> {
  const entries = await Promise.all(
    Object.entries(services.pids).map(async ([service, pid]) => {
      const usage = await readProcessUsage(pid);
      if (!usage) throw new Error(`${service} (pid ${pid}) is gone`);
      return [service, usage.cpuSeconds] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ServiceName, number>;
}

/** Runs the pipeline client once, as `npm run pipeline` would, and measures what it cost. */
export async function runClientOnce(services: ProtocolServices, plan: ClientRunPlan): Promise<ClientRun> {
  const { protocol, orchestrator } = services;
  const options = parseClientOptions([
    '--protocol', protocol, '--orchestrator', orchestrator, '--out', plan.out, '--concurrency', String(plan.concurrency),
    ...plan.inputs.flatMap((input) => ['--input', input]),
  ]);
  const client = new CpuAtLastResult(protocol === 'grpc' ? new GrpcOrchestratorClient(orchestrator) : new RestOrchestratorClient(orchestrator));
  const before = await serviceCpu(services);
  const clientBefore = process.cpuUsage();
  try {
    const { report } = await runPipelineClient(options, client, { stdout: discard(), stderr: discard() });
    const after = await serviceCpu(services);
    const failures = report.images.filter(isImageFailure);
    const clientAtLastResult = (client.cpu.user + client.cpu.system - clientBefore.user - clientBefore.system) / 1e6;
    const cpuSeconds = Object.fromEntries(Object.entries(after).map(([service, seconds]) => [service, seconds - before[service as ServiceName]]));
    return {
      protocol,
      images: report.images.length,
      failed: failures.length,
      errors: failures.map((failure) => `${failure.fileName}: ${failure.error.code}: ${failure.error.message}`),
      wallMs: report.finishedAtMs - report.startedAtMs,
      cpuSeconds: { ...cpuSeconds, client: clientAtLastResult } as Record<CpuAccount, number>,
    };
  } finally {
    await client.close();
  }
}
