// Photos of camera size, more at once than the orchestrator's memory budget (ORCH_MEMORY_BUDGET_MB)
// admits, on each of its routes: every photo comes back processed or refused with QUEUE_FULL and a
// retry-after, none is lost or fails otherwise, no service dies, and the orchestrator's RSS stays
// within what the budget promises.
import type { Protocol } from '@imagepipeline/config';
import { orchestratorOptionsFromConfig, resolveOrchestratorOptions } from '@imagepipeline/pipeline';
import { photoSize } from '@imagepipeline/imaging/testing';
import { makeGoodJpeg } from './cases';
import { describeOutcome, type CaseResult } from './case-result';
import { isAccountedFor, isQueueFull } from './load';
import { samplePeakRss } from './rss-peaks';
import type { ServiceSet } from './service-set';
import { callEndpoint, endpointLabel, type CallOutcome, type EndpointName } from './wire';

export interface PhotoBurst {
  /** Size of each photo, 4:3. */
  megapixels: number;
  /** Photos sent at once on each route. */
  photos: number;
}

/** Today's 48 MP phone photos, more at once than the default 4 GiB budget admits (five). */
export const CAMERA_BURST: PhotoBurst = { megapixels: 48, photos: 8 };

/** The orchestrator's estimate per pixel of an image without intermediates (README, `ORCH_MEMORY_BUDGET_MB`). */
const ESTIMATED_BYTES_PER_PIXEL = 16;
const MiB = 1024 * 1024;
/** Both routes of each protocol: the synchronous call, and jobs (REST) or the stream of progress (gRPC). */
const ROUTES: readonly EndpointName[] = ['pipeline', 'pipeline-async'];

export interface PhotoBurstStats {
  route: string;
  sent: number;
  megapixels: number;
  jpegMiB: number;
  /** Photos the budget holds at once, by the orchestrator's own estimate. */
  admittedAtOnce: number;
  ok: number;
  /** Refused with QUEUE_FULL and a retry-after. */
  refused: number;
  otherErrors: Record<string, number>;
  lost: number;
  wallMs: number;
  /** RSS of every service (MiB) before the burst and at its peak. */
  rssMiB: Record<string, { before: number; peak: number }>;
  /** The orchestrator's RSS at rest, after one small image, before any photo. */
  orchestratorRestMiB: number;
  /** The orchestrator's peak may not pass this (see `orchestratorRssBoundMiB`). */
  orchestratorBoundMiB: number;
  dead: string[];
}

/**
 * Sends the burst on each route in turn, after a small image has loaded every stage's model; the
 * orchestrator's RSS then is its RSS at rest, which every route's bound starts from (memory the
 * allocator keeps from one burst for the next is part of what the bound allows).
 */
export async function checkMemoryBudget(services: ServiceSet, burst: PhotoBurst): Promise<{ cases: CaseResult[]; stats: PhotoBurstStats[] }> {
  const photo = await makePhoto(burst.megapixels);
  await callEndpoint(services.protocol, services.address('orchestrator'), 'pipeline', { kind: 'image', bytes: await makeGoodJpeg(), fileName: 'warm-up.jpg' });
  const restMiB = await services.rssMiB('orchestrator');
  const stats: PhotoBurstStats[] = [];
  for (const route of ROUTES) stats.push(await sendBurst(services, route, photo, burst.photos, restMiB));
  return { cases: stats.map((s) => budgetCase(services.protocol, s)), stats };
}

interface Photo {
  bytes: Buffer;
  width: number;
  height: number;
}

async function makePhoto(megapixels: number): Promise<Photo> {
  const { width, height } = photoSize(megapixels);
  return { bytes: await makeGoodJpeg(width, height, megapixels), width, height };
}

async function sendBurst(services: ServiceSet, route: EndpointName, photo: Photo, count: number, restMiB: number): Promise<PhotoBurstStats> {
  const { protocol } = services;
  const budgetBytes = resolveOrchestratorOptions(orchestratorOptionsFromConfig(services.orchestratorConfig())).memoryBudgetBytes;
  const perPhoto = photo.bytes.length + photo.width * photo.height * ESTIMATED_BYTES_PER_PIXEL;
  const admittedAtOnce = Math.max(1, Math.floor(budgetBytes / perPhoto));
  if (count <= admittedAtOnce) throw new Error(`a burst of ${count} photos fits the budget (${admittedAtOnce} at once): it checks nothing`);

  const before = await services.rssAll();
  const sampler = samplePeakRss(services, before);
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      callEndpoint(protocol, services.address('orchestrator'), route, { kind: 'image', bytes: photo.bytes, fileName: `camera-${i}.jpg` }, 600_000, 'png'),
    ),
  );
  const wallMs = Math.round(performance.now() - started);
  const peak = sampler.stop();

  const otherErrors: Record<string, number> = {};
  for (const outcome of outcomes.filter((o) => !isProcessed(o, photo) && !isRefusedWithRetryAfter(o))) {
    const key = outcome.ok ? `wrong image: ${JSON.stringify(outcome.image)}` : describeOutcome({ ...outcome, message: undefined }) + (isQueueFull(outcome) ? ' without a retry-after' : '');
    otherErrors[key] = (otherErrors[key] ?? 0) + 1;
  }
  return {
    route: endpointLabel(protocol, route),
    sent: count,
    megapixels: Math.round((photo.width * photo.height) / 1e5) / 10,
    jpegMiB: Math.round((photo.bytes.length / MiB) * 10) / 10,
    admittedAtOnce,
    ok: outcomes.filter((o) => isProcessed(o, photo)).length,
    refused: outcomes.filter(isRefusedWithRetryAfter).length,
    otherErrors,
    lost: outcomes.filter((o) => !isAccountedFor(o)).length,
    wallMs,
    rssMiB: Object.fromEntries(Object.keys(before).map((name) => [name, { before: before[name], peak: peak[name] }])),
    orchestratorRestMiB: restMiB,
    orchestratorBoundMiB: orchestratorRssBoundMiB(services, route, restMiB, budgetBytes),
    dead: [...services.running.keys()].filter((name) => !services.isAlive(name)),
  };
}

/**
 * What the runtime itself takes on once images flow (V8's heap, code, socket and stream buffers),
 * which no image's estimate counts: 55–80 MiB here at a 64 MiB budget with 1 MP photos.
 */
const RUNTIME_ALLOWANCE_MIB = 128;

/**
 * What the orchestrator may hold at its peak, as the budget promises it: its RSS at rest; the
 * budget, which the admitted photos' estimates fill; the uploads of photos waiting for room, which
 * it refuses past a quarter of the budget; behind `/v1/jobs` the finished results it keeps for
 * reading (JOB_STORE_MAX_MB); and the runtime's own allowance.
 */
function orchestratorRssBoundMiB(services: ServiceSet, route: EndpointName, restMiB: number, budgetBytes: number): number {
  const keptResults = services.protocol === 'rest' && route === 'pipeline-async' ? services.orchestratorConfig().maxJobResultBytes : 0;
  return Math.round(restMiB + RUNTIME_ALLOWANCE_MIB + (budgetBytes * 1.25 + keptResults) / MiB);
}

function isProcessed(outcome: CallOutcome, photo: Photo): boolean {
  const image = outcome.image;
  return outcome.ok && image?.format === 'png' && image.channels === 4 && image.width === photo.width && image.height === photo.height && !!outcome.label;
}

function isRefusedWithRetryAfter(outcome: CallOutcome): boolean {
  return isQueueFull(outcome) && (outcome.retryAfterSeconds ?? 0) > 0;
}

function budgetCase(protocol: Protocol, s: PhotoBurstStats): CaseResult {
  const orchestrator = s.rssMiB.orchestrator;
  const others = Object.entries(s.otherErrors).map(([k, v]) => `${v}× ${k}`).join(', ') || 'none';
  const refusal = protocol === 'rest' ? '429 QUEUE_FULL with Retry-After' : 'RESOURCE_EXHAUSTED QUEUE_FULL with retry-after-seconds';
  return {
    group: 'memory budget',
    protocol,
    id: `${s.sent} photos of ${s.megapixels} MP (${s.jpegMiB} MiB JPEG) at once; the budget holds ${s.admittedAtOnce}`,
    target: s.route,
    expected: `each processed (RGBA PNG at its size, a label) or refused with ${refusal}; none lost; every service alive; orchestrator peak RSS ≤ ${s.orchestratorBoundMiB} MiB`,
    actual:
      `${s.ok} processed, ${s.refused} refused, other: ${others}, ${s.lost} lost in ${(s.wallMs / 1000).toFixed(1)} s; ` +
      `${s.dead.length > 0 ? `DEAD: ${s.dead.join(', ')}` : 'all alive'}; orchestrator RSS at rest ${s.orchestratorRestMiB}, before ${orchestrator.before}, peak ${orchestrator.peak} MiB`,
    pass: s.ok + s.refused === s.sent && s.lost === 0 && s.dead.length === 0 && orchestrator.peak <= s.orchestratorBoundMiB,
  };
}
