// `nx run benchmark:replicas`: 1 against 2 background-remover replicas in the network-namespace
// topology, ORT_INTRA_OP_THREADS=1, both protocols; throughput and the gain next to the ideal 2×.
// Options: REPLICAS_BENCHMARK_USAGE in ./settings.ts. Writes replicas.md and replicas.json.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOLS, SERVICE_NAMES, type Protocol, type ServiceName } from '@imagepipeline/config';
import {
  canCreateNamespaces,
  REPOSITORY_PHOTO_DIRS,
  withDistributedServices,
  writeRepeatedPhotos,
  type DistributedServices,
} from '@imagepipeline/topology';
import { runClientOnce } from '../end-to-end/client-run';
import type { ProtocolServices } from '../end-to-end/protocol-services';
import { readProcessUsage } from '../process-usage';
import { startRunRecord, writeRunReport } from '../run-record';
import type { ReplicaRunSample } from './analysis';
import { renderReplicasReport } from './report';
import { readReplicasBenchmarkSettings } from './settings';

const REPLICA_COUNTS = [1, 2];
const root = fileURLToPath(new URL('../../../..', import.meta.url));
const settings = readReplicasBenchmarkSettings(process.argv.slice(2), { out: join(root, 'results/benchmarks') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const support = await canCreateNamespaces();
if (!support.ok) {
  log(`cannot run the replicas benchmark here: ${support.reason}`);
  process.exit(3);
}
const record = startRunRecord();
const workDir = await mkdtemp(join(os.tmpdir(), 'replicas-benchmark-'));
const input = await writeRepeatedPhotos(join(workDir, 'input'), settings.images, REPOSITORY_PHOTO_DIRS.map((dir) => join(root, dir)));
const photos = (await readdir(input)).sort();

/** The client run's view of the services: the orchestrator's address and one process per service (the first replica's). */
function protocolServices(protocol: Protocol, { plans, started }: DistributedServices): ProtocolServices {
  const first = (service: ServiceName) => plans.findIndex((plan) => plan.service === service);
  const orchestrator = plans[first('orchestrator')];
  const pids = Object.fromEntries(SERVICE_NAMES.map((service) => [service, started.services[first(service)].process.pid ?? 0])) as Record<ServiceName, number>;
  return { protocol, orchestrator: `${orchestrator.host}:${orchestrator.port}`, pids };
}

async function replicaCpuSeconds({ plans, started }: DistributedServices): Promise<number[]> {
  const pids = started.services.filter((_, i) => plans[i].service === 'background-remover').map((service) => service.process.pid ?? 0);
  return Promise.all(pids.map(async (pid) => (await readProcessUsage(pid))?.cpuSeconds ?? Number.NaN));
}

const samples: ReplicaRunSample[] = [];
try {
  for (const protocol of PROTOCOLS) {
    for (const replicas of REPLICA_COUNTS) {
      const name = `${protocol}-${replicas}`;
      await withDistributedServices(
        {
          protocol,
          root,
          logDir: join(workDir, 'logs', name),
          backgroundReplicas: replicas,
          env: { ORT_INTRA_OP_THREADS: '1', LOG_LEVEL: 'warn' },
          log: () => undefined,
        },
        async (services) => {
          for (let run = 0; run <= settings.runs; run++) {
            const cpuBefore = await replicaCpuSeconds(services);
            const result = await runClientOnce(protocolServices(protocol, services), { inputs: [input], concurrency: settings.concurrency, out: join(workDir, 'client') });
            const cpuAfter = await replicaCpuSeconds(services);
            samples.push({
              protocol, replicas, run, images: result.images, failed: result.failed, wallMs: result.wallMs,
              replicaCpuSeconds: cpuAfter.map((seconds, i) => seconds - cpuBefore[i]),
            });
            log(`${protocol}, ${replicas} replica(s), ${run === 0 ? 'warm-up' : `run ${run}`}: ${(result.wallMs / 1000).toFixed(2)} s, ${result.failed} failed`);
            for (const error of result.errors) log(`  failed: ${error}`);
          }
        },
      );
    }
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const raw = {
  ...record.finish(),
  photos,
  concurrency: settings.concurrency,
  runs: settings.runs,
  replicaCounts: REPLICA_COUNTS,
  samples,
};
log(`wrote ${await writeRunReport(settings.out, 'replicas', raw, renderReplicasReport(raw))}`);
process.exitCode = samples.some((sample) => sample.failed > 0) ? 1 : 0;
