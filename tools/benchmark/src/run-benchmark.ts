// `nx run benchmark:run [--quick] [--out dir] [--input dir]... [--no-distributed] [--rate 100mbit] [--relay-delay-ms 1] [--base-port 25000]`:
// gRPC vs REST binary vs REST JSON+base64, local and distributed; writes report.md, raw.json, charts.
// The services find their models as always (PIPELINE_MODEL_DIR, the model cache, a download).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES } from '@imagepipeline/config';
import { canCreateNamespaces, createTestNetwork, LOCAL_HOSTS } from '@imagepipeline/topology';
import { writeCharts } from './charts';
import { describeBenchmarkMachine } from './machine';
import { measureEcho } from './measure-echo';
import { measureHops } from './measure-hops';
import { measureThroughput } from './measure-throughput';
import { loadPayloads, type Payload } from './payloads';
import { readProcessUsage } from './process-usage';
import { renderReport } from './report';
import type { BenchmarkRaw } from './samples';
import { readSettings } from './settings';
import { startStacks, stopStacks, type Placement } from './stacks';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const settings = readSettings(process.argv.slice(2), { out: join(root, 'results/benchmark') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const machine = describeBenchmarkMachine();
const raw: BenchmarkRaw = { startedAt: new Date().toISOString(), quick: settings.quick, machine, settings, notes: [], hops: [], echo: [], throughput: [], resources: [] };
const workDir = join(settings.out, 'logs');
await mkdir(workDir, { recursive: true });

const payloads = await loadPayloads(settings);
const photos = payloads.filter((p) => p.kind === 'photo');
log(`payloads: ${payloads.map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);

/** Echo, hops and (optionally) throughput on one placement, with the three stacks side by side. */
async function measurePlacement(placement: Placement, options: { hopPayloads: Payload[]; repetitions: number; throughput: boolean }): Promise<void> {
  log(`== ${placement.name}`);
  raw.echo.push(
    ...(await measureEcho({
      topology: placement.name, placement, payloads, warmups: settings.warmups, repetitions: settings.echoRepetitions,
      root, workDir, basePort: settings.basePort + 400, log,
    })),
  );
  const stacks = await startStacks(placement, { root, workDir, basePort: settings.basePort });
  try {
    raw.hops.push(...(await measureHops(stacks, { topology: placement.name, payloads: options.hopPayloads, warmups: settings.warmups, repetitions: options.repetitions, log })));
    if (options.throughput) {
      raw.throughput.push(
        ...(await measureThroughput(stacks, {
          topology: placement.name, payloads: photos, concurrencyLevels: settings.concurrencyLevels, imagesPerLevel: settings.imagesPerLevel, log,
        })),
      );
    }
    for (const stack of Object.values(stacks)) {
      for (const service of SERVICE_NAMES) {
        const usage = await readProcessUsage(stack.pids[service]);
        if (usage) raw.resources.push({ topology: placement.name, variant: stack.variant, service, peakRssBytes: usage.peakRssBytes, cpuSecondsTotal: usage.cpuSeconds });
      }
    }
  } finally {
    await stopStacks(Object.values(stacks));
  }
}

await measurePlacement({ name: 'local', hosts: LOCAL_HOSTS, relayHost: '127.0.0.1' }, { hopPayloads: payloads, repetitions: settings.repetitions, throughput: true });
log('== local with relay delay (echo only)');
raw.echo.push(
  ...(await measureEcho({
    topology: `local + ${settings.relayDelayMs} ms relay delay`, placement: { name: 'local-delay', hosts: LOCAL_HOSTS, relayHost: '127.0.0.1', relayDelayMs: settings.relayDelayMs },
    payloads, warmups: settings.warmups, repetitions: settings.echoRepetitions, root, workDir, basePort: settings.basePort + 400, log,
  })),
);

if (!settings.distributed) {
  raw.notes.push(settings.quick ? 'Quick mode: local topology only, fewer payloads, repetitions and concurrency levels.' : 'Distributed topologies skipped (--no-distributed).');
} else {
  const support = await canCreateNamespaces();
  if (!support.ok) {
    raw.notes.push(`Distributed topologies skipped: ${support.reason}.`);
    log(`skipping the distributed topologies: ${support.reason}`);
  } else {
    const distributedPayloads = [...photos.slice(0, settings.distributedPhotoLimit), ...payloads.filter((p) => p.kind === 'synthetic')];
    raw.notes.push(`Distributed topologies: ${distributedPayloads.length} payloads, ${settings.distributedRepetitions} repetitions (time); throughput at every concurrency level.`);
    for (const shape of [undefined, { rate: settings.rate }]) {
      const network = await createTestNetwork(shape);
      try {
        const name = shape ? `distributed, tbf ${shape.rate}` : 'distributed';
        await measurePlacement(
          { name, hosts: network.hosts, namespaces: network.namespaces, relayHost: network.gateway },
          { hopPayloads: distributedPayloads, repetitions: settings.distributedRepetitions, throughput: true },
        );
      } finally {
        await network.teardown();
      }
    }
  }
}

raw.finishedAt = new Date().toISOString();
await writeFile(join(settings.out, 'raw.json'), JSON.stringify(raw, null, 1));
await writeCharts(raw, settings.out);
await writeFile(join(settings.out, 'report.md'), renderReport(raw, settings, machine));
log(`wrote ${join(settings.out, 'report.md')}`);
process.exit(0);
