// `nx run benchmark:run [--quick] [--out dir] [--input dir]... [--no-distributed] [--rate 100mbit] [--relay-delay-ms 1] [--base-port 25000]`:
// gRPC vs REST binary (HTTP/1.1 and HTTP/2) vs REST JSON+base64, local and distributed; writes report.md, raw.json, charts.
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
import { CAMERA_IN_FLIGHT, CAMERA_MEMORY_TOPOLOGY, CAMERA_TOPOLOGY, CAMERA_WIRE_TOPOLOGY } from './report-camera';
import { loadPayloads, syntheticPayload, type Payload } from './payloads';
import { readProcessUsage } from './process-usage';
import { renderReport } from './report';
import { DIRECT_ECHO_TOPOLOGY } from './report-goals';
import type { BenchmarkRaw } from './samples';
import { readSettings } from './settings';
import { startStacks, stopStacks, type Placement } from './stacks';
import { VARIANTS, type Variant } from './variants';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const settings = readSettings(process.argv.slice(2), { out: join(root, 'results/benchmark') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const machine = describeBenchmarkMachine();
const raw: BenchmarkRaw = { startedAt: new Date().toISOString(), quick: settings.quick, machine, settings, notes: [], hops: [], echo: [], throughput: [], resources: [] };
const workDir = join(settings.out, 'logs');
await mkdir(workDir, { recursive: true });

const payloads = settings.onlyCamera ? [] : await loadPayloads(settings);
const photos = payloads.filter((p) => p.kind === 'photo');
log(`payloads: ${payloads.map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);

interface PlacementPlan {
  hopPayloads: Payload[];
  repetitions: number;
  /** Echo payloads; none: no echo. */
  echoPayloads: Payload[];
  throughput?: { payloads: Payload[]; concurrencyLevels: number[]; imagesPerLevel: number };
  /** The variants to start; all by default. */
  variants?: readonly Variant[];
}

/** Echo, hops and (optionally) throughput on one placement, with the variants' stacks side by side. */
async function measurePlacement(placement: Placement, plan: PlacementPlan): Promise<void> {
  log(`== ${placement.name}`);
  if (plan.echoPayloads.length > 0) {
    raw.echo.push(
      ...(await measureEcho({
        topology: placement.name, placement, payloads: plan.echoPayloads, warmups: settings.warmups, repetitions: settings.echoRepetitions,
        root, workDir, basePort: settings.basePort + 400, log,
      })),
    );
  }
  const stacks = await startStacks(placement, { root, workDir, basePort: settings.basePort }, plan.variants);
  try {
    if (plan.hopPayloads.length > 0) {
      raw.hops.push(...(await measureHops(stacks, { topology: placement.name, payloads: plan.hopPayloads, warmups: settings.warmups, repetitions: plan.repetitions, log })));
    }
    if (plan.throughput) raw.throughput.push(...(await measureThroughput(stacks, { topology: placement.name, ...plan.throughput, log })));
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

const throughput = { payloads: photos, concurrencyLevels: settings.concurrencyLevels, imagesPerLevel: settings.imagesPerLevel };

if (!settings.onlyCamera) {
  await measurePlacement(
    { name: 'local', hosts: LOCAL_HOSTS, relayHost: '127.0.0.1' },
    { hopPayloads: payloads, repetitions: settings.repetitions, echoPayloads: payloads, throughput },
  );
  const echoOnly = (topology: string, placement: Placement) =>
    measureEcho({ topology, placement, payloads, warmups: settings.warmups, repetitions: settings.echoRepetitions, root, workDir, basePort: settings.basePort + 400, log });
  log('== local with relay delay (echo only)');
  raw.echo.push(
    ...(await echoOnly(`local + ${settings.relayDelayMs} ms relay delay`, { name: 'local-delay', hosts: LOCAL_HOSTS, relayHost: '127.0.0.1', relayDelayMs: settings.relayDelayMs })),
  );
  log('== local without relays (echo only)');
  raw.echo.push(...(await echoOnly(DIRECT_ECHO_TOPOLOGY, { name: 'local-direct', hosts: LOCAL_HOSTS, relayHost: '127.0.0.1', direct: true })));
}

if (settings.onlyCamera) {
  raw.notes.push('Only the camera resolutions (--only-camera).');
} else if (!settings.distributed) {
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
          { hopPayloads: distributedPayloads, repetitions: settings.distributedRepetitions, echoPayloads: payloads, throughput },
        );
      } finally {
        await network.teardown();
      }
    }
  }
}

if (settings.cameraMegapixels.length > 0) {
  const camera = [];
  for (const megapixels of settings.cameraMegapixels) camera.push(await syntheticPayload(megapixels));
  const largest = camera.reduce((a, b) => (b.megapixels > a.megapixels ? b : a));
  // Times without relays, the variants side by side; then memory: the largest photo four at once on
  // a fresh stack of one variant at a time, so each service's peak RSS is that step's and the idle
  // stacks of the other variants do not crowd the machine's memory; then bytes on the wire through
  // the relays, once.
  const direct: Placement = { name: CAMERA_TOPOLOGY, hosts: LOCAL_HOSTS, relayHost: '127.0.0.1', direct: true };
  await measurePlacement(direct, { hopPayloads: camera, repetitions: settings.repetitions, echoPayloads: [] });
  for (const variant of VARIANTS) {
    await measurePlacement(
      { ...direct, name: CAMERA_MEMORY_TOPOLOGY },
      {
        hopPayloads: [],
        repetitions: 0,
        echoPayloads: [],
        throughput: { payloads: [largest], concurrencyLevels: [CAMERA_IN_FLIGHT], imagesPerLevel: CAMERA_IN_FLIGHT },
        variants: [variant],
      },
    );
  }
  await measurePlacement(
    { name: CAMERA_WIRE_TOPOLOGY, hosts: LOCAL_HOSTS, relayHost: '127.0.0.1' },
    { hopPayloads: camera, repetitions: 1, echoPayloads: [] },
  );
}

raw.finishedAt = new Date().toISOString();
await writeFile(join(settings.out, 'raw.json'), JSON.stringify(raw, null, 1));
await writeCharts(raw, settings.out);
await writeFile(join(settings.out, 'report.md'), renderReport(raw, settings, machine));
log(`wrote ${join(settings.out, 'report.md')}`);
process.exit(0);
