import { echoRatios, echoRows, hopRows, pipelineRatios, unique, type Ratio } from './analysis';
import { CHART_FILES } from './charts';
import type { MachineDescription } from './machine';
import { ORIGINAL_LOCAL_GRPC_EIGHT_PHOTOS_S, ORIGINAL_PROTOCOL_FIGURES } from './original-figures';
import { isPhotoPayload } from './payloads';
import { HOPS, type BenchmarkRaw } from './samples';
import type { BenchmarkSettings } from './settings';
import { markdownTable as table } from './markdown-table';
import { renderCameraSection } from './report-camera';
import { DIRECT_ECHO_TOPOLOGY, renderGoalsSection } from './report-goals';
import { VARIANT_LABELS, VARIANTS } from './variants';

const ms = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
const kb = (v: number) => (Number.isFinite(v) ? (v / 1024).toFixed(1) : '–');
const ratioText = (r: Ratio) => `${r.median.toFixed(2)} (IQR ${r.q1.toFixed(2)}–${r.q3.toFixed(2)}, n=${r.n})`;

function findings(raw: BenchmarkRaw): string[] {
  const lines: string[] = [];
  for (const r of echoRatios(raw.echo).filter((x) => x.topology === 'local')) {
    lines.push(`Echo stage, local: ${VARIANT_LABELS[r.variant]} ÷ ${VARIANT_LABELS[r.base]} ${r.what} = ${ratioText(r)}.`);
  }
  for (const r of pipelineRatios(raw.hops)) {
    lines.push(`Pipeline, ${r.topology}: ${VARIANT_LABELS[r.variant]} ÷ ${VARIANT_LABELS[r.base]} ${r.what} = ${ratioText(r)}.`);
  }
  const local = raw.throughput.filter((s) => s.topology === 'local');
  for (const variant of VARIANTS) {
    const best = local.filter((s) => s.variant === variant).sort((a, b) => b.imagesPerSecond - a.imagesPerSecond)[0];
    if (best) lines.push(`${VARIANT_LABELS[variant]} peaks at ${best.imagesPerSecond.toFixed(2)} images/s (concurrency ${best.concurrency}, local).`);
  }
  const rows = hopRows(raw.hops).filter((r) => r.topology === 'local');
  const compute = raw.hops.filter((s) => !s.error && s.topology === 'local');
  if (compute.length) {
    const share =
      compute.reduce((sum, s) => sum + Object.values(s.transportMs).reduce((a, b) => a + (b ?? 0), 0), 0) /
      compute.reduce((sum, s) => sum + s.clientMs, 0);
    lines.push(`Locally, transport (all hops) is ${(share * 100).toFixed(1)} % of end-to-end time summed over all images and variants; the rest is compute and queueing.`);
  }
  const measuredLocally = raw.hops.some((s) => s.topology === 'local');
  if (measuredLocally && rows.length === 0) lines.push('No successful pipeline samples locally.');
  return lines.map((l) => `- ${l}`);
}

export function renderReport(raw: BenchmarkRaw, settings: BenchmarkSettings, machine: MachineDescription): string {
  const hop = hopRows(raw.hops);
  const echo = echoRows(raw.echo);
  const failures = [...raw.hops, ...raw.echo].filter((s) => s.error);
  const out: string[] = [];
  out.push(`# Protocol benchmark: gRPC vs REST binary (HTTP/1.1 and HTTP/2) vs REST JSON+base64${raw.quick ? ' (quick mode)' : ''}`, '');
  out.push(`Run ${raw.startedAt} → ${raw.finishedAt ?? '?'}. Every sample is in \`raw.json\`.`, '');
  out.push('## Findings', '', ...findings(raw), '');
  out.push('## Machine', '');
  out.push(
    table(['CPU', 'cores', 'memory', 'Node', 'kernel', 'load average at start'], [
      [machine.cpuModel, String(machine.cores), `${machine.memoryGiB} GiB`, machine.node, machine.kernel, machine.loadAverage.join(' / ')],
    ]),
    '',
  );
  out.push('## Method', '');
  out.push(
    '- Four variants, each a full stack of five service processes (the built `dist/apps/*/main.mjs`), all four running side by side: **gRPC** (protobuf `bytes`, `ProcessStream`), **REST binary** (raw image bodies, `Accept: image/png`, HTTP/1.1), **REST binary over HTTP/2** (the same, with `REST_STAGE_HTTP2=true`: the orchestrator calls its stages over cleartext HTTP/2 with the receive windows gRPC uses; the client\'s hop to the orchestrator stays HTTP/1.1), **REST JSON+base64** (`REST_STAGE_ENCODING=json` in the orchestrator, and the client posts JSON with base64 and reads JSON). REST binary over HTTP/2 ÷ REST binary is what HTTP/2 framing changes; REST binary over HTTP/2 ÷ gRPC is what protobuf and grpc-js change on the same framing.',
    '- A counting TCP relay (node:net) sits in front of every service; the orchestrator is given the relays\' addresses. Bytes are counted at the sockets, each direction, and attributed to an image by sending images one at a time and diffing the counters. All variants pass through the same relays, so the relay\'s own cost is in every figure alike. The camera-resolution times are the exception: measured without relays (see that section).',
    '- Every service process and echo stage starts with the container image\'s malloc settings (`GLIBC_TUNABLES`, `libs/config/src/malloc-tunables.ts`), as `npm start` and the compose files run them.',
    '- Transport per stage hop = the orchestrator\'s observed time of the call (started→ended) − the stage\'s own `computeMs`; the client hop = the client\'s end-to-end time − the orchestrator\'s `totalMs`.',
    `- Variants interleaved per repetition (A B C D, B C D A, …); ${settings.warmups} warm-up pass discarded; ${settings.repetitions} repetition(s) per payload locally, ${settings.distributedRepetitions} distributed; echo: ${settings.echoRepetitions} repetitions. Ratios are per repetition and payload (variant ÷ gRPC, or ÷ REST binary, on the same payload and repetition), reported as median with IQR.`,
    `- Throughput: ${settings.imagesPerLevel} images per level (payloads cycled) at concurrency ${settings.concurrencyLevels.join(', ')}; CPU seconds from /proc/<pid>/stat (utime+stime) during each level, peak RSS from /proc/<pid>/status VmHWM.`,
    '- Echo: a stage with no compute (the uploader\'s interface answering the image unchanged, its own process, one per variant, started as that variant\'s stages are), called directly with the product\'s `GrpcStageClient` / `RestStageClient` (binary over HTTP/1.1 or HTTP/2, or json-base64).',
    `- Topologies: local (127.0.0.1); distributed (one network namespace per service over a bridge, \`createTestNetwork\`) with and without \`tbf\` shaping at ${settings.rate}. This kernel has no netem: the "relay delay" echo topology adds ${settings.relayDelayMs} ms per chunk and direction **in the relay, not netem** (per chunk, so large payloads split into many chunks are delayed once per chunk burst, not per packet). The "${DIRECT_ECHO_TOPOLOGY}" echo topology calls the stage straight on loopback: no relay in the time, no bytes counted.`,
    '',
  );
  for (const note of raw.notes) out.push(`> ${note}`, '');
  out.push('## Transport alone: echo stage', '');
  out.push(
    table(
      ['topology', 'payload', 'payload KiB', 'variant', 'median ms', 'p95', 'p99', 'request KiB', 'response KiB'],
      echo.map((r) => [r.topology, r.payload, kb(r.payloadBytes), VARIANT_LABELS[r.variant], ms(r.transport.median), ms(r.transport.p95), ms(r.transport.p99), kb(r.bytesUp), kb(r.bytesDown)]),
    ),
    '',
  );
  out.push('## Pipeline: transport per hop (observed − compute), ms', '');
  out.push(
    table(
      ['topology', 'payload', 'MP', 'variant', 'n', 'end-to-end median', 'p95', ...HOPS.map((h) => `${h} median / p95 / p99`)],
      hop.map((r) => [
        r.topology, r.payload, r.megapixels.toFixed(2), VARIANT_LABELS[r.variant], String(r.n), ms(r.clientMs.median), ms(r.clientMs.p95),
        ...HOPS.map((h) => `${ms(r.hops[h].median)} / ${ms(r.hops[h].p95)} / ${ms(r.hops[h].p99)}`),
      ]),
    ),
    '',
  );
  out.push('## Bytes on the wire per image and hop (median KiB, request ↑ / response ↓)', '');
  const services = unique(hop.flatMap((r) => Object.keys(r.bytes)));
  // Direct placements have no relays to count at.
  const counted = hop.filter((r) => Object.values(r.bytes).some((b) => b.up + b.down > 0));
  out.push(
    table(
      ['topology', 'payload', 'variant', ...services],
      counted.map((r) => [r.topology, r.payload, VARIANT_LABELS[r.variant], ...services.map((s) => `${kb(r.bytes[s]?.up ?? Number.NaN)} ↑ / ${kb(r.bytes[s]?.down ?? Number.NaN)} ↓`)]),
    ),
    '',
  );
  out.push('## Ratios (median of per-repetition ratios, IQR)', '');
  out.push(
    table(
      ['topology', 'variant', '÷', 'what', 'ratio'],
      [...echoRatios(raw.echo), ...pipelineRatios(raw.hops)].map((r) => [r.topology, VARIANT_LABELS[r.variant], VARIANT_LABELS[r.base], r.what, ratioText(r)]),
    ),
    '',
  );
  out.push(...renderGoalsSection(raw));
  out.push('## Throughput', '');
  out.push(
    table(
      ['topology', 'variant', 'concurrency', 'images', 'failed', 'images/s', 'latency median ms', 'p95', 'CPU s per image (all services)'],
      raw.throughput.map((s) => {
        const sorted = [...s.latenciesMs].sort((a, b) => a - b);
        const cpu = Object.values(s.cpuSeconds).reduce((a, b) => a + (b ?? 0), 0);
        const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
        return [s.topology, VARIANT_LABELS[s.variant], String(s.concurrency), String(s.images), String(s.failed), s.imagesPerSecond.toFixed(2), ms(q(0.5)), ms(q(0.95)), (cpu / Math.max(1, s.images - s.failed)).toFixed(2)];
      }),
    ),
    '',
  );
  out.push('## CPU and memory per service process (whole run of the topology)', '');
  out.push(
    table(
      ['topology', 'variant', 'service', 'CPU s', 'peak RSS MiB'],
      raw.resources.map((r) => [r.topology, VARIANT_LABELS[r.variant], r.service, r.cpuSecondsTotal.toFixed(1), (r.peakRssBytes / 1024 ** 2).toFixed(0)]),
    ),
    '',
  );
  out.push(...renderCameraSection(raw));
  out.push('## The original project, beside ours', '');
  out.push('Source: the seed baseline notes (the original Python stack re-measured on a 2-core machine; one call at a time, 8 in flight for images/s).', '');
  out.push(table(['call', 'median ms', 'one pass over the 8 photos, ms', 'images/s at 8 in flight'], ORIGINAL_PROTOCOL_FIGURES.map((f) => [f.call, String(f.medianMs), String(f.onePassMs), String(f.imagesPerSecondAt8)])), '');
  const ourEcho = echo.filter((r) => r.topology === 'local' && isPhotoPayload(r.payload));
  const ours = VARIANTS.map((v) => {
    const rows = ourEcho.filter((r) => r.variant === v);
    const mid = rows.map((r) => r.transport.median).sort((a, b) => a - b);
    return [`ours: ${VARIANT_LABELS[v]} echo (median over the photos' medians)`, ms(mid[Math.floor(mid.length / 2)] ?? Number.NaN)];
  });
  out.push(table(['call', 'median ms'], ours), '');
  out.push(`The original's published local gRPC run finished all eight photos about ${ORIGINAL_LOCAL_GRPC_EIGHT_PHOTOS_S} s after the first was sent (its hardware).`, '');
  out.push('## Charts', '');
  for (const [key, file] of Object.entries(CHART_FILES)) out.push(`![${key}](${file})`, '');
  if (failures.length) {
    out.push('## Failed samples', '');
    for (const f of failures.slice(0, 30)) out.push(`- ${f.topology} ${VARIANT_LABELS[f.variant]} ${f.payload}: ${f.error}`);
    out.push('');
  }
  return out.join('\n');
}
