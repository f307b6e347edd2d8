// The report's camera-resolution section: whole images of 12 to 48 MP through each variant, bytes
// on the wire, and each service's peak memory with the largest photo four at once.
import { SERVICE_NAMES } from '@imagepipeline/config';
import { summarize } from '@imagepipeline/reporting';
import { markdownTable as table } from './markdown-table';
import type { BenchmarkRaw } from './samples';
import { VARIANT_LABELS, VARIANTS } from './variants';

/** The topology name of the camera-resolution samples in raw.json: direct, no relays. */
export const CAMERA_TOPOLOGY = 'local, camera resolution';

/** The same photos once more through the counting relays: bytes on the wire. */
export const CAMERA_WIRE_TOPOLOGY = 'local, camera resolution, through relays';

/** The largest photo four at once, on a fresh stack of one variant at a time: memory. */
export const CAMERA_MEMORY_TOPOLOGY = 'local, camera resolution, largest at once';

/** Images of the largest camera resolution in flight at once for the memory figures. */
export const CAMERA_IN_FLIGHT = 4;

const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '—');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)}`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)}`;

export function renderCameraSection(raw: BenchmarkRaw): string[] {
  const samples = raw.hops.filter((s) => s.topology === CAMERA_TOPOLOGY);
  if (samples.length === 0) return [];
  const relayed = raw.hops.filter((s) => s.topology === CAMERA_WIRE_TOPOLOGY && !s.error);
  const sizes = [...new Set(samples.map((s) => s.payload))];
  const rows: string[][] = [];
  for (const payload of sizes) {
    for (const variant of VARIANTS) {
      const group = samples.filter((s) => s.payload === payload && s.variant === variant);
      if (group.length === 0) continue;
      const good = group.filter((s) => !s.error);
      const client = summarize(good.map((s) => s.clientMs));
      const total = summarize(good.map((s) => s.totalMs));
      const through = relayed.filter((s) => s.payload === payload && s.variant === variant);
      const wire = summarize(through.map((s) => Object.values(s.bytes).reduce((sum, b) => sum + (b?.up ?? 0) + (b?.down ?? 0), 0)));
      rows.push([
        group[0].megapixels.toFixed(1),
        VARIANT_LABELS[variant],
        `${good.length}/${group.length}`,
        `${ms(client.median)} (${ms(client.min)}–${ms(client.max)})`,
        ms(total.median),
        ms(summarize(through.map((s) => s.clientMs)).median),
        mb(wire.median),
      ]);
    }
  }
  const memory = raw.resources.filter((r) => r.topology === CAMERA_MEMORY_TOPOLOGY);
  const levels = raw.throughput.filter((t) => t.topology === CAMERA_MEMORY_TOPOLOGY);
  const memoryRows = VARIANTS.filter((variant) => memory.some((r) => r.variant === variant)).map((variant) => {
    const level = levels.find((t) => t.variant === variant);
    const peak = (service: string) => memory.find((r) => r.variant === variant && r.service === service)?.peakRssBytes ?? Number.NaN;
    return [
      VARIANT_LABELS[variant],
      level ? `${level.images - level.failed}/${level.images} in ${ms(level.wallMs)} ms` : '—',
      ...SERVICE_NAMES.map((service) => mib(peak(service))),
    ];
  });
  return [
    '## Camera resolution (local)',
    '',
    `Photo-like JPEGs (gradient with noise, quality 90) sent one at a time through every variant, interleaved as above; no intermediates asked for. "End to end" is the client's time, send to the last byte of the answer, with the client and the orchestrator reaching the services directly (topology "${CAMERA_TOPOLOGY}"): the relays copy every byte once more in the benchmark's own process, which on this 2-core machine competes with the services. The same photos then went once through the counting relays (topology "${CAMERA_WIRE_TOPOLOGY}"): "on the wire" adds up every relay's bytes both ways for one image. Transport per hop and bytes per relay are in the tables above.`,
    '',
    table(['MP', 'variant', 'ok', 'end to end, median (min–max) ms', 'orchestrator total, median ms', 'through the relays, ms', 'on the wire, median MB'], rows),
    '',
    `Peak RSS (VmHWM) of every service, MiB, with the largest photo ${CAMERA_IN_FLIGHT} at once, on a fresh stack of one variant at a time (topology "${CAMERA_MEMORY_TOPOLOGY}"): the other variants' stacks are stopped meanwhile, so they do not crowd this machine's memory.`,
    '',
    table(['variant', `${CAMERA_IN_FLIGHT} at once`, ...SERVICE_NAMES], memoryRows),
    '',
  ];
}
