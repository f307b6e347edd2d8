// Faults against a running set: kill -9 of the background remover mid-run, a stage that hangs,
// the remover restarted, and SIGTERM to every service with requests in flight.
import { setTimeout as delay } from 'node:timers/promises';
import { makeGoodJpeg } from './cases';
import { describeOutcome, type CaseResult } from './case-result';
import { startHangingStage } from './hanging-stage';
import { loadImages, runConcurrently } from './load';
import type { ServiceSet } from './service-set';
import { callEndpoint, endpointLabel, isRefusal, type CallOutcome, type EndpointName } from './wire';
import { makeNoisyGradient } from '@imagepipeline/imaging/testing';
import sharp from 'sharp';
import { SERVICE_NAMES, type ServiceName } from '@imagepipeline/config';

/** The fault run's orchestrator: a short remover deadline so a hung remover fails fast. */
export const REMOVER_DEADLINE_MS = 5000;
export const FAULT_ORCHESTRATOR_ENV: Record<string, string> = { ORCH_BACKGROUND_REMOVER_DEADLINE_MS: String(REMOVER_DEADLINE_MS) };
/** Bound on a failure's latency once the remover is gone: retries with backoff take about a second. */
const UNAVAILABLE_BOUND_MS = 15_000;
/** How long a SIGTERMed service may take to exit (its shutdown grace is 10 s). */
const EXIT_BOUND_MS = 20_000;

export async function checkFaults(services: ServiceSet, options: { images: number }): Promise<CaseResult[]> {
  return [...(await killRemover(services, options.images)), ...(await hangRemover(services)), ...(await restartRemover(services)), ...(await sigtermEach(services))];
}

const pipeline = (services: ServiceSet, bytes: Buffer, name: string, timeoutMs = 120_000) =>
  callEndpoint(services.protocol, services.address('orchestrator'), 'pipeline', { kind: 'image', bytes, fileName: name }, timeoutMs);

function fault(services: ServiceSet, id: string, expected: string, actual: string, pass: boolean, target = endpointLabel(services.protocol, 'pipeline')): CaseResult {
  return { group: 'fault', protocol: services.protocol, id, target, expected, actual, pass };
}

function unavailable(services: ServiceSet): string {
  return services.protocol === 'rest' ? '503' : 'UNAVAILABLE';
}

function summarise(outcomes: CallOutcome[]): string {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : `${o.status} ${o.code ?? ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const firstError = outcomes.find((o) => !o.ok);
  const text = Object.entries(counts).map(([k, v]) => `${v}× ${k}`).join(', ');
  return firstError?.message ? `${text} (first error: ${firstError.message.slice(0, 160)})` : text;
}

async function killRemover(services: ServiceSet, count: number): Promise<CaseResult[]> {
  const images = await loadImages(4);
  let killedAt = 0;
  let completed = 0;
  const killer = (async () => {
    // Kill once the first image is through, while the others are queued or in the remover.
    while (completed === 0) await delay(20);
    killedAt = performance.now();
    await services.kill('background-remover');
  })();
  const outcomes = await runConcurrently(count, 2, async (i) => {
    const outcome = await pipeline(services, images[i % images.length], `kill-${i}.jpg`);
    completed += 1;
    return { ...outcome, ms: Math.round(performance.now() - killedAt) };
  });
  await killer;
  const failed = outcomes.filter((o) => !o.ok);
  const expectedStatus = unavailable(services);
  const allUnavailable = failed.every((o) => o.status === expectedStatus && o.code === 'STAGE_UNAVAILABLE');
  const slowest = Math.max(0, ...failed.map((o) => o.ms));
  const orchestratorUp = services.isAlive('orchestrator') && (await services.isReady('orchestrator'));
  return [
    fault(
      services,
      `kill -9 background remover during ${count} images`,
      `images after the kill fail ${expectedStatus} STAGE_UNAVAILABLE within ${UNAVAILABLE_BOUND_MS} ms of it (bounded retries); orchestrator stays up`,
      `${summarise(outcomes)}; last failure ${slowest} ms after the kill; orchestrator ${orchestratorUp ? 'up' : 'DOWN'}; e.g. ${failed[0] ? describeOutcome(failed[0]) : 'no failure'}`,
      failed.length > 0 && allUnavailable && slowest <= UNAVAILABLE_BOUND_MS && orchestratorUp,
    ),
  ];
}

async function hangRemover(services: ServiceSet): Promise<CaseResult[]> {
  const hanging = await startHangingStage(services.protocol, services.options.ports['background-remover']);
  try {
    const image = await makeGoodJpeg();
    // After the kill the orchestrator's connection to the remover's port is in reconnect backoff
    // (up to 1 s) and calls fail UNAVAILABLE at once; wait until a call reaches the hung stage.
    const reconnecting: CallOutcome[] = [];
    const waitUntil = performance.now() + 15_000;
    while (hanging.received() === 0 && performance.now() < waitUntil) {
      const probe = pipeline(services, image, 'hang-probe.jpg');
      await Promise.race([probe, delay(1000)]);
      if (hanging.received() === 0) reconnecting.push(await probe);
    }
    const outcomes = await Promise.all([0, 1].map((i) => pipeline(services, image, `hang-${i}.jpg`)));
    const expectedStatus = services.protocol === 'rest' ? '504' : 'DEADLINE_EXCEEDED';
    const bound = REMOVER_DEADLINE_MS + 5000;
    const orchestratorUp = services.isAlive('orchestrator') && (await services.isReady('orchestrator'));
    return [
      fault(
        services,
        'background remover hangs (accepts, never answers)',
        `${expectedStatus} DEADLINE_EXCEEDED within ${bound} ms (ORCH_BACKGROUND_REMOVER_DEADLINE_MS=${REMOVER_DEADLINE_MS}); orchestrator stays up`,
        `${summarise(outcomes)} after ${outcomes.map((o) => o.ms).join(', ')} ms (${describeOutcome(outcomes[0])}); ` +
          `hung stage got ${hanging.received()} calls; ${reconnecting.length} probe(s) while reconnecting (${summarise(reconnecting) || 'none'}); orchestrator ${orchestratorUp ? 'up' : 'DOWN'}`,
        outcomes.every((o) => !o.ok && o.status === expectedStatus && o.code === 'DEADLINE_EXCEEDED' && o.ms <= bound) && orchestratorUp,
      ),
    ];
  } finally {
    await hanging.close();
  }
}

async function restartRemover(services: ServiceSet): Promise<CaseResult[]> {
  await services.startOne('background-remover');
  const images = await loadImages(3);
  const outcomes = await runConcurrently(3, 1, (i) => pipeline(services, images[i], `after-restart-${i}.jpg`));
  return [fault(services, 'background remover restarted', 'new images succeed', summarise(outcomes), outcomes.every((o) => o.ok))];
}

/** What each service is sent while it is stopped: a request that keeps it busy for a while. */
const IN_FLIGHT_ENDPOINT: Record<ServiceName, EndpointName> = {
  orchestrator: 'pipeline',
  uploader: 'upload',
  'noise-reducer': 'reduce-noise',
  'background-remover': 'remove-background',
  classifier: 'classify',
};

/** A 1600×1200 noisy PNG: a few hundred ms of work in every stage. */
async function makeBusyImage(): Promise<Buffer> {
  const raw = makeNoisyGradient({ width: 1600, height: 1200, seed: 3 });
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } }).png().toBuffer();
}

async function sigtermEach(services: ServiceSet): Promise<CaseResult[]> {
  const busy = await makeBusyImage();
  const small = await makeGoodJpeg();
  const results: CaseResult[] = [];
  for (const service of SERVICE_NAMES) {
    const endpoint = IN_FLIGHT_ENDPOINT[service];
    const address = services.address(service);
    const bytes = service === 'orchestrator' ? small : busy;
    const inFlight = Array.from({ length: 3 }, (_, i) =>
      callEndpoint(services.protocol, address, endpoint, { kind: 'image', bytes, fileName: `inflight-${i}.png` }, 60_000),
    );
    await delay(service === 'orchestrator' ? 400 : 250);
    const running = services.get(service);
    const signalledAt = performance.now();
    running.process.kill('SIGTERM');
    // A service busy in synchronous work (a model's pre- or post-processing) sees the signal only
    // when its event loop is free: "new" means sent once it reports it is no longer ready (a probe
    // that got no answer within a second tells nothing).
    while ((await services.readiness(service)) !== 'not-ready' && performance.now() - signalledAt < 10_000) await delay(25);
    const notReadyMs = Math.round(performance.now() - signalledAt);
    const late = await callEndpoint(services.protocol, address, endpoint, { kind: 'image', bytes: small, fileName: 'late.jpg' }, 10_000);
    const done = await Promise.all(inFlight);
    const code = await Promise.race([running.exited, delay(EXIT_BOUND_MS).then(() => 'still running' as const)]);
    const exitMs = Math.round(performance.now() - signalledAt);
    services.running.delete(service);
    results.push(
      fault(
        services,
        `SIGTERM to ${service} with 3 requests in flight`,
        `in-flight requests complete; once it reports not ready a new one is refused; exit 0 within ${EXIT_BOUND_MS} ms`,
        `in flight: ${summarise(done)}; not ready after ${notReadyMs} ms; new: ${describeOutcome(late)}; exit ${code} after ${exitMs} ms`,
        done.every((o) => o.ok) && isRefusal(late) && code === 0 && exitMs <= EXIT_BOUND_MS,
        endpointLabel(services.protocol, endpoint),
      ),
    );
  }
  return results;
}
