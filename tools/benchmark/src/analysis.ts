import { HOPS, type EchoSample, type Hop, type HopSample } from './samples';
import { quantile, summarize, type Summary } from '@imagepipeline/reporting';
import { VARIANTS, type Variant } from './variants';

/** Unique values in first-seen order. */
export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

const ok = <T extends { error?: string }>(samples: readonly T[]) => samples.filter((s) => !s.error);

/** Transport summed over the four stage hops. */
export function stageTransportMs(sample: HopSample): number {
  return HOPS.filter((h) => h !== 'client').reduce((sum, hop) => sum + (sample.transportMs[hop] ?? 0), 0);
}

export interface HopRow {
  topology: string;
  payload: string;
  megapixels: number;
  variant: Variant;
  n: number;
  clientMs: Summary;
  hops: Record<Hop, Summary>;
  stagesTransport: Summary;
  /** Median request/response bytes per service relay. */
  bytes: Record<string, { up: number; down: number }>;
}

export function hopRows(samples: readonly HopSample[]): HopRow[] {
  const rows: HopRow[] = [];
  const good = ok(samples);
  for (const topology of unique(good.map((s) => s.topology))) {
    for (const payload of unique(good.filter((s) => s.topology === topology).map((s) => s.payload))) {
      for (const variant of VARIANTS) {
        const group = good.filter((s) => s.topology === topology && s.payload === payload && s.variant === variant);
        if (group.length === 0) continue;
        const services = unique(group.flatMap((s) => Object.keys(s.bytes)));
        rows.push({
          topology,
          payload,
          megapixels: group[0].megapixels,
          variant,
          n: group.length,
          clientMs: summarize(group.map((s) => s.clientMs)),
          hops: Object.fromEntries(HOPS.map((h) => [h, summarize(group.map((s) => s.transportMs[h] ?? Number.NaN))])) as Record<Hop, Summary>,
          stagesTransport: summarize(group.map(stageTransportMs)),
          bytes: Object.fromEntries(
            services.map((service) => [
              service,
              {
                up: quantile(group.map((s) => s.bytes[service as keyof HopSample['bytes']]?.up ?? 0), 0.5),
                down: quantile(group.map((s) => s.bytes[service as keyof HopSample['bytes']]?.down ?? 0), 0.5),
              },
            ]),
          ),
        });
      }
    }
  }
  return rows;
}

/** A variant's ratio against a base variant: median and IQR of the per-repetition, per-payload ratios. */
export interface Ratio {
  topology: string;
  variant: Variant;
  base: Variant;
  what: string;
  n: number;
  median: number;
  q1: number;
  q3: number;
}

/**
 * Which variant is divided by which: every variant by gRPC, and REST binary over HTTP/2 by REST
 * binary over HTTP/1.1 (what the framing alone changes).
 */
const RATIO_PAIRS: readonly (readonly [Variant, Variant])[] = [
  ...VARIANTS.filter((v) => v !== 'grpc').map((v) => [v, 'grpc'] as const),
  ['rest-h2', 'rest-binary'],
];

type PairedSample = { topology: string; variant: Variant; payload: string; rep: number };

/**
 * `variant` ÷ `base` on samples of one topology: one ratio per payload and repetition both measured,
 * then their median and IQR (n = 0 when none pairs up).
 */
export function ratioBetween<T extends PairedSample>(samples: readonly T[], variant: Variant, base: Variant, value: (s: T) => number) {
  const ratios: number[] = [];
  for (const s of samples.filter((x) => x.variant === variant)) {
    const paired = samples.find((x) => x.variant === base && x.payload === s.payload && x.rep === s.rep);
    if (paired && value(paired) > 0) ratios.push(value(s) / value(paired));
  }
  return { n: ratios.length, median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
}

function pairRatios<T extends PairedSample>(samples: readonly T[], value: (s: T) => number, what: string): Ratio[] {
  const out: Ratio[] = [];
  for (const topology of unique(samples.map((s) => s.topology))) {
    const inTopology = samples.filter((s) => s.topology === topology);
    for (const [variant, base] of RATIO_PAIRS) {
      const ratio = ratioBetween(inTopology, variant, base, value);
      if (ratio.n > 0) out.push({ topology, variant, base, what, ...ratio });
    }
  }
  return out;
}

export function pipelineRatios(samples: readonly HopSample[]): Ratio[] {
  const good = ok(samples);
  return [
    ...pairRatios(good, (s) => s.clientMs, 'end-to-end latency, one image alone'),
    ...pairRatios(good, stageTransportMs, 'transport over the four stage hops'),
    ...pairRatios(good, (s) => Object.values(s.bytes).reduce((sum, b) => sum + (b?.up ?? 0) + (b?.down ?? 0), 0), 'bytes on the wire, all hops'),
  ];
}

export function echoRatios(samples: readonly EchoSample[]): Ratio[] {
  const good = ok(samples);
  return [...pairRatios(good, (s) => s.transportMs, 'echo transport time'), ...pairRatios(good, (s) => s.bytes.up + s.bytes.down, 'echo bytes on the wire')];
}

export interface EchoRow {
  topology: string;
  payload: string;
  megapixels: number;
  payloadBytes: number;
  variant: Variant;
  transport: Summary;
  bytesUp: number;
  bytesDown: number;
}

export function echoRows(samples: readonly EchoSample[]): EchoRow[] {
  const good = ok(samples);
  const rows: EchoRow[] = [];
  for (const topology of unique(good.map((s) => s.topology))) {
    for (const payload of unique(good.filter((s) => s.topology === topology).map((s) => s.payload))) {
      for (const variant of VARIANTS) {
        const group = good.filter((s) => s.topology === topology && s.payload === payload && s.variant === variant);
        if (group.length === 0) continue;
        rows.push({
          topology,
          payload,
          megapixels: group[0].megapixels,
          payloadBytes: group[0].payloadBytes,
          variant,
          transport: summarize(group.map((s) => s.transportMs)),
          bytesUp: quantile(group.map((s) => s.bytes.up), 0.5),
          bytesDown: quantile(group.map((s) => s.bytes.down), 0.5),
        });
      }
    }
  }
  return rows;
}
