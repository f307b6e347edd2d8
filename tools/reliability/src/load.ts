// N images at concurrency C through the orchestrator, every outcome counted, RSS of every service
// sampled before, during and after a settle period; and bursts beyond the configured bounds.
import { setTimeout as delay } from 'node:timers/promises';
import { makeGoodJpeg } from './cases';
import { describeOutcome, type CaseResult } from './case-result';
import { samplePeakRss } from './rss-peaks';
import type { ServiceSet } from './service-set';
import { callEndpoint, endpointLabel, type CallOutcome, type EndpointName } from './wire';

export interface RssNumbers {
  /** After start-up and a short warm-up. */
  before: number;
  /** Highest sample while the load ran. */
  peak: number;
  /** After the settle period. */
  after: number;
}

export interface LoadStats {
  images: number;
  concurrency: number;
  ok: number;
  /** Explicit errors by status and code. */
  errors: Record<string, number>;
  /** Neither a result nor an explicit error from the server. */
  lost: number;
  wallMs: number;
  imagesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  rssMiB: Record<string, RssNumbers>;
  settleMs: number;
  alive: Record<string, boolean>;
}

/** An outcome the server answered: a result, or an error with a pipeline code. */
export function isAccountedFor(outcome: CallOutcome): boolean {
  return outcome.ok || !!outcome.code;
}

/** Runs `count` calls, at most `concurrency` at once; outcomes in call order. */
export async function runConcurrently(count: number, concurrency: number, call: (index: number) => Promise<CallOutcome>): Promise<CallOutcome[]> {
  const outcomes: CallOutcome[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      outcomes[index] = await call(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return outcomes;
}

/** A few distinct small photo-like images to cycle through. */
export async function loadImages(kinds = 8): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: kinds }, (_, i) => makeGoodJpeg(160 + 16 * i, 120 + 8 * i, 100 + i)));
}

export async function runLoad(services: ServiceSet, options: { images: number; concurrency: number; settleMs: number }): Promise<LoadStats> {
  const { protocol } = services;
  const images = await loadImages();
  const send = (i: number) =>
    callEndpoint(protocol, services.address('orchestrator'), 'pipeline', { kind: 'image', bytes: images[i % images.length], fileName: `load-${i}.jpg` }, 600_000);
  await runConcurrently(4, 2, send); // warm-up: models and arenas allocated before "before"
  const before = await services.rssAll();
  const sampler = samplePeakRss(services, before);
  const started = performance.now();
  const outcomes = await runConcurrently(options.images, options.concurrency, send);
  const wallMs = Math.round(performance.now() - started);
  const peak = sampler.stop();
  await delay(options.settleMs);
  const after = await services.rssAll();
  const errors: Record<string, number> = {};
  for (const outcome of outcomes.filter((o) => !o.ok)) {
    const key = `${outcome.status} ${outcome.code ?? ''}`.trim();
    errors[key] = (errors[key] ?? 0) + 1;
  }
  const latencies = outcomes.filter((o) => o.ok).map((o) => o.ms).sort((a, b) => a - b);
  const rssMiB = Object.fromEntries(Object.keys(before).map((name) => [name, { before: before[name], peak: peak[name], after: after[name] }]));
  return {
    images: options.images,
    concurrency: options.concurrency,
    ok: outcomes.filter((o) => o.ok).length,
    errors,
    lost: outcomes.filter((o) => !isAccountedFor(o)).length,
    wallMs,
    imagesPerSecond: Math.round((options.images / (wallMs / 1000)) * 100) / 100,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    rssMiB,
    settleMs: options.settleMs,
    alive: Object.fromEntries([...services.running.keys()].map((name) => [name, services.isAlive(name)])),
  };
}

/** The load's cases: every image accounted for and every process alive; optionally RSS back near its start. */
export function loadCases(services: ServiceSet, stats: LoadStats, checkMemory: boolean): CaseResult[] {
  const { protocol } = services;
  const allAlive = Object.values(stats.alive).every(Boolean);
  const errors = Object.entries(stats.errors).map(([k, v]) => `${v}× ${k}`).join(', ') || 'none';
  const results: CaseResult[] = [
    {
      group: 'load',
      protocol,
      id: `${stats.images} images at concurrency ${stats.concurrency}`,
      target: endpointLabel(protocol, 'pipeline'),
      expected: 'every image a result or an explicit error, none lost; every process alive',
      actual: `${stats.ok} ok, errors: ${errors}, ${stats.lost} lost; ${stats.imagesPerSecond} img/s, p50 ${stats.p50Ms} ms, p95 ${stats.p95Ms} ms; ${allAlive ? 'all alive' : `DEAD: ${Object.entries(stats.alive).filter(([, a]) => !a).map(([n]) => n).join(', ')}`}`,
      pass: stats.lost === 0 && stats.ok + Object.values(stats.errors).reduce((a, b) => a + b, 0) === stats.images && allAlive,
    },
  ];
  if (checkMemory) {
    for (const [name, rss] of Object.entries(stats.rssMiB)) {
      const bound = Math.round(rss.before * 1.25 + 64);
      results.push({
        group: 'load',
        protocol,
        id: `RSS of ${name} after ${stats.settleMs / 1000} s settle`,
        target: name,
        expected: `≤ ${bound} MiB (before × 1.25 + 64 MiB)`,
        actual: `before ${rss.before}, peak ${rss.peak}, after ${rss.after} MiB`,
        pass: rss.after <= bound,
      });
    }
  }
  return results;
}

export interface BurstStats {
  sent: number;
  refused: number;
  ok: number;
  otherErrors: Record<string, number>;
  lost: number;
  refusalMs: { p50: number; p95: number; max: number };
  /** When the first accepted request was answered (ms after the burst; NaN when none was). */
  firstAnswerMs: number;
  rssMiB: { before: number; after: number };
}

/**
 * Sends `count` requests at once to one endpoint; counts refusals (429 / RESOURCE_EXHAUSTED with
 * QUEUE_FULL) and their latencies, and the RSS of the service that took the burst.
 */
export async function runBurst(
  services: ServiceSet,
  target: { name: string; address: string; endpoint: EndpointName },
  count: number,
): Promise<BurstStats> {
  const images = await loadImages(4);
  const before = await services.rssMiB(target.name);
  const outcomes = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      callEndpoint(services.protocol, target.address, target.endpoint, { kind: 'image', bytes: images[i % images.length], fileName: `burst-${i}.jpg` }, 300_000),
    ),
  );
  const after = await services.rssMiB(target.name);
  const refusals = outcomes.filter(isQueueFull);
  const times = refusals.map((o) => o.ms).sort((a, b) => a - b);
  const answered = outcomes.filter((o) => o.ok).map((o) => o.ms);
  const otherErrors: Record<string, number> = {};
  for (const outcome of outcomes.filter((o) => !o.ok && !isQueueFull(o))) {
    const key = describeOutcome({ ...outcome, message: undefined });
    otherErrors[key] = (otherErrors[key] ?? 0) + 1;
  }
  return {
    sent: count,
    refused: refusals.length,
    ok: outcomes.filter((o) => o.ok).length,
    otherErrors,
    lost: outcomes.filter((o) => !isAccountedFor(o)).length,
    refusalMs: { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times.at(-1) ?? 0 },
    firstAnswerMs: answered.length > 0 ? Math.min(...answered) : Number.NaN,
    rssMiB: { before, after },
  };
}

export function isQueueFull(outcome: CallOutcome): boolean {
  return !outcome.ok && (outcome.status === '429' || outcome.status === 'RESOURCE_EXHAUSTED') && outcome.code === 'QUEUE_FULL';
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
