import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { collectImageFiles, parseClientOptions, runPipelineClient, type OrchestratorClient } from '@imagepipeline/client';
import type { Protocol, ServiceName } from '@imagepipeline/config';
import { isImageFailure, type RunSummary } from '@imagepipeline/reporting';
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
  /**
   * Run the client as a process of its own, the built `dist/apps/pipeline-cli/main.mjs` under
   * `root`, with `env` added to this process's environment, instead of in this process: what a
   * process traces is set by its environment when it starts (benchmark:tracing). Its CPU is then
   * read from /proc between its first image sent and its last result, as its progress lines tell.
   */
  ownProcess?: { root: string; env: Record<string, string> };
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

/** CPU seconds (user + system) each service has used so far. */
export async function serviceCpu(services: ProtocolServices): Promise<Record<ServiceName, number>> {
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
  const argv = [
    '--protocol', protocol, '--orchestrator', orchestrator, '--out', plan.out, '--concurrency', String(plan.concurrency),
    ...plan.inputs.flatMap((input) => ['--input', input]),
  ];
  const before = await serviceCpu(services);
  const { wallMs, images, errors, clientCpuSeconds } = plan.ownProcess ? await runBuiltClient(argv, plan.inputs, plan.ownProcess) : await runClientHere(argv, protocol, orchestrator);
  const after = await serviceCpu(services);
  const cpuSeconds = Object.fromEntries(Object.entries(after).map(([service, seconds]) => [service, seconds - before[service as ServiceName]]));
  return { protocol, images, failed: errors.length, errors, wallMs, cpuSeconds: { ...cpuSeconds, client: clientCpuSeconds } as Record<CpuAccount, number> };
}

/** What one client run reports, wherever it ran. */
interface ClientOutcome {
  wallMs: number;
  images: number;
  errors: string[];
  clientCpuSeconds: number;
}

async function runClientHere(argv: string[], protocol: Protocol, orchestrator: string): Promise<ClientOutcome> {
  const options = parseClientOptions(argv);
  const client = new CpuAtLastResult(protocol === 'grpc' ? new GrpcOrchestratorClient(orchestrator) : new RestOrchestratorClient(orchestrator));
  const clientBefore = process.cpuUsage();
  try {
    const { report } = await runPipelineClient(options, client, { stdout: discard(), stderr: discard() });
    return {
      wallMs: report.finishedAtMs - report.startedAtMs,
      images: report.images.length,
      errors: report.images.filter(isImageFailure).map((failure) => `${failure.fileName}: ${failure.error.code}: ${failure.error.message}`),
      clientCpuSeconds: (client.cpu.user + client.cpu.system - clientBefore.user - clientBefore.system) / 1e6,
    };
  } finally {
    await client.close();
  }
}

/** A progress line of the client's (lineProgress) that ends an image: its result or its failure. */
const IMAGE_DONE_LINE = /: (done in \d+ ms \(|FAILED )/;

async function runBuiltClient(argv: string[], inputs: string[], { root, env }: NonNullable<ClientRunPlan['ownProcess']>): Promise<ClientOutcome> {
  const images = (await collectImageFiles(inputs)).length;
  const child = spawn(process.execPath, [join(root, 'dist/apps/pipeline-cli/main.mjs'), ...argv, '--json'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cpuNow = async () => (await readProcessUsage(child.pid ?? 0))?.cpuSeconds ?? Number.NaN;
  let cpuAtFirstSent: Promise<number> | undefined;
  let cpuAtLastResult: Promise<number> | undefined;
  let done = 0;
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    if (line.endsWith(': sent')) cpuAtFirstSent ??= cpuNow();
    else if (IMAGE_DONE_LINE.test(line) && ++done === images) cpuAtLastResult = cpuNow();
  });
  const stdout: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  // 0: every image succeeded; 1: some failed (listed in the summary); anything else: the run broke.
  if (code !== 0 && code !== 1) throw new Error(`the pipeline client exited with ${code}:\n${stderr.slice(-20).join('\n')}`);
  const summary = JSON.parse(Buffer.concat(stdout).toString('utf8')) as RunSummary;
  return {
    wallMs: summary.wallSeconds * 1000,
    images: summary.counts.images,
    errors: summary.images.filter((image) => image.status === 'failed').map((image) => `${image.fileName}: ${image.error?.code}: ${image.error?.message}`),
    clientCpuSeconds: ((await cpuAtLastResult) ?? Number.NaN) - ((await cpuAtFirstSent) ?? Number.NaN),
  };
}
