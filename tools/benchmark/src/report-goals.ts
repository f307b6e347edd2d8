import { quantile } from '@imagepipeline/reporting';
import { ratioBetween, unique } from './analysis';
import { markdownTable as table } from './markdown-table';
import { isPhotoPayload } from './payloads';
import type { BenchmarkRaw, EchoSample } from './samples';
import { VARIANT_LABELS } from './variants';

/** gRPC's echo transport may take at most 1.2× REST binary's: REST binary ÷ gRPC ≥ 1 / 1.2. */
export const TRANSPORT_RATIO_GOAL = 0.83;
/** From 100 KB up, where the payload rather than per-call overhead dominates. */
export const GOAL_MIN_PAYLOAD_BYTES = 100_000;
/** gRPC echo of a seed-size photo on loopback; Python's grpcio (C core) took 1.7 ms on this machine. */
export const SEED_PHOTO_ECHO_GOAL_MS = 2;

/** The echo calls made straight to the stage on loopback, without the counting relay. */
export const DIRECT_ECHO_TOPOLOGY = 'local, no relay';

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const median = (values: readonly number[]) => quantile(values, 0.5);

/** REST binary ÷ gRPC echo transport per repetition of one payload in one topology: median and IQR. */
function payloadRatio(samples: readonly EchoSample[], topology: string, payload: string) {
  const ofPayload = samples.filter((s) => s.topology === topology && s.payload === payload);
  return ratioBetween(ofPayload, 'rest-binary', 'grpc', (s) => s.transportMs);
}

/**
 * The transport goals for gRPC, checked on this run's echo samples: every payload of 100 KB and
 * more in every topology, and the seed-size photos' gRPC echo on loopback.
 */
export function renderGoalsSection(raw: BenchmarkRaw): string[] {
  const echo = raw.echo.filter((s) => !s.error);
  if (echo.length === 0) return [];
  const rows: string[][] = [];
  let met = 0;
  for (const topology of unique(echo.map((s) => s.topology))) {
    const large = unique(echo.filter((s) => s.topology === topology && s.payloadBytes >= GOAL_MIN_PAYLOAD_BYTES).map((s) => s.payload));
    for (const payload of large) {
      const ratio = payloadRatio(echo, topology, payload);
      if (ratio.n === 0) continue;
      const ok = ratio.median >= TRANSPORT_RATIO_GOAL;
      met += ok ? 1 : 0;
      const group = (variant: EchoSample['variant']) => echo.filter((s) => s.topology === topology && s.payload === payload && s.variant === variant);
      // Wall time, then the CPU both ends spent on it: far less CPU than wall time is waiting.
      const timed = (variant: EchoSample['variant']) => {
        const samples = group(variant);
        const cpu = (pick: (s: EchoSample) => number | undefined) => ms(median(samples.map((s) => pick(s) ?? Number.NaN)));
        return `${ms(median(samples.map((s) => s.transportMs)))} (${cpu((s) => s.clientCpuMs)} + ${cpu((s) => s.serverCpuMs)})`;
      };
      rows.push([
        topology,
        payload,
        (echo.find((s) => s.payload === payload)!.payloadBytes / 1024).toFixed(0),
        timed('grpc'),
        timed('rest-binary'),
        timed('rest-h2'),
        `${ratio.median.toFixed(2)} (IQR ${ratio.q1.toFixed(2)}–${ratio.q3.toFixed(2)})`,
        ok ? 'met' : 'not met',
      ]);
    }
  }
  const out = ['## gRPC against its transport goals', ''];
  out.push(
    `Goal: gRPC echo transport at most 1.2× REST binary's (REST binary ÷ gRPC ≥ ${TRANSPORT_RATIO_GOAL}, median of per-repetition ratios) on every payload of ${GOAL_MIN_PAYLOAD_BYTES / 1000} KB and more. Met on ${met} of ${rows.length}.`,
    '',
  );
  out.push(
    'Each time is the median echo transport in ms, then in brackets the median CPU ms of the benchmark process (the client, and the relay in the same process) + that of the echo stage (all threads, from `/proc/<pid>/task/*/schedstat`).',
    '',
  );
  out.push(table(['topology', 'payload', 'KiB', 'gRPC ms (CPU)', 'REST binary ms (CPU)', 'REST binary over HTTP/2 ms (CPU)', 'REST binary ÷ gRPC', 'goal'], rows), '');
  out.push(...framesTable(echo));
  const loopback = echo.some((s) => s.topology === DIRECT_ECHO_TOPOLOGY) ? DIRECT_ECHO_TOPOLOGY : 'local';
  const seedPhotos = unique(echo.filter((s) => s.topology === loopback && isPhotoPayload(s.payload)).map((s) => s.payload));
  const photoMedian = (variant: EchoSample['variant']) =>
    median(seedPhotos.map((payload) => median(echo.filter((s) => s.topology === loopback && s.payload === payload && s.variant === variant).map((s) => s.transportMs))));
  const seedEcho = photoMedian('grpc');
  if (Number.isFinite(seedEcho)) {
    const how = loopback === DIRECT_ECHO_TOPOLOGY ? 'straight to the stage' : 'through the counting relay';
    out.push(
      `Goal: gRPC echo of a seed-size photo on loopback ≤ ${SEED_PHOTO_ECHO_GOAL_MS} ms (median over the photos' medians, ${how}): ${ms(seedEcho)} ms, ${seedEcho <= SEED_PHOTO_ECHO_GOAL_MS ? 'met' : 'not met'}; REST binary ${ms(photoMedian('rest-binary'))} ms, REST binary over HTTP/2 ${ms(photoMedian('rest-h2'))} ms.`,
      '',
    );
  }
  return out;
}

/** Payloads from this size up get their HTTP/2 frames shown: where flow control has work to do. */
const FRAMES_MIN_PAYLOAD_BYTES = 1_000_000;

/**
 * Median HTTP/2 frames per echo call at the relay, for the two HTTP/2 variants: DATA frames carry the
 * bytes, each WINDOW_UPDATE is the receiver opening more window (a round trip when the sender waits on it).
 */
function framesTable(echo: readonly EchoSample[]): string[] {
  const rows: string[][] = [];
  const count = (samples: readonly EchoSample[], direction: 'up' | 'down', type: string) => median(samples.map((s) => s.frames?.[direction][type] ?? 0)).toFixed(0);
  for (const topology of unique(echo.filter((s) => s.frames).map((s) => s.topology))) {
    for (const payload of unique(echo.filter((s) => s.topology === topology && s.payloadBytes >= FRAMES_MIN_PAYLOAD_BYTES).map((s) => s.payload))) {
      for (const variant of ['grpc', 'rest-h2'] as const) {
        const group = echo.filter((s) => s.topology === topology && s.payload === payload && s.variant === variant && s.frames);
        if (group.length === 0) continue;
        rows.push([topology, payload, VARIANT_LABELS[variant], count(group, 'up', 'DATA'), count(group, 'down', 'WINDOW_UPDATE'), count(group, 'down', 'DATA'), count(group, 'up', 'WINDOW_UPDATE')]);
      }
    }
  }
  if (rows.length === 0) return [];
  return [
    `HTTP/2 frames per echo call at the relay (median), payloads of ${FRAMES_MIN_PAYLOAD_BYTES / 1e6} MB and more:`,
    '',
    table(['topology', 'payload', 'variant', 'request DATA', 'WINDOW_UPDATE from the stage', 'answer DATA', 'WINDOW_UPDATE from the client'], rows),
    '',
  ];
}
