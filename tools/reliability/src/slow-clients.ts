// Slow and abusive clients against running services: slow headers, a slow body, an idle keep-alive,
// many idle sockets and an HTTP/2 stream flood, at the orchestrator and at a stage. While each is
// held, a valid image through the orchestrator must be answered within its usual time + 1 s, the
// abused service's RSS must stay bounded, and the server must close what its timeouts promise to:
// the timeouts each service was started with, short ones or the defaults.
import type { ConnectionLimits, Protocol } from '@imagepipeline/config';
import { NoiseReducerServiceService, OrchestratorServiceService, REST_ROUTES } from '@imagepipeline/contracts';
import { abusesOf, type Abuse, type AbuseTarget, type HeldAbuse, type Timeouts } from './abusive-clients';
import { makeGoodJpeg } from './cases';
import { describeOutcome, type CaseResult } from './case-result';
import type { ServiceSet } from './service-set';
import { callEndpoint, type CallOutcome } from './wire';

/** Short server timeouts, so that what they cut is cut within seconds. */
export const SLOW_CLIENT_TIMEOUTS: Timeouts = { headersMs: 1000, requestMs: 2000, idleMs: 1000 };

/**
 * The suite's environment: its timeouts; one request at a time in every service, so that a client
 * holding a work slot would delay the valid image; and REST stages over h2c (the orchestrator's own
 * API stays HTTP/1.1).
 */
export function slowClientEnv(protocol: Protocol): Record<string, string> {
  const { headersMs, requestMs, idleMs } = SLOW_CLIENT_TIMEOUTS;
  const env = { HEADERS_TIMEOUT_MS: String(headersMs), REQUEST_TIMEOUT_MS: String(requestMs), IDLE_TIMEOUT_MS: String(idleMs), MAX_CONCURRENT: '1' };
  return protocol === 'rest' ? { ...env, REST_STAGE_HTTP2: 'true' } : env;
}

/** The bound: a valid request is answered within this much of its usual time. */
const LATENCY_ALLOWANCE_MS = 1000;
/**
 * RSS growth of the abused service while an abuse is held. The clients send under a megabyte in all
 * and a server keeps KiBs per connection or stream; what they announce is 8 MiB per stream. Growth
 * past this means memory held for what was announced rather than sent (already by eight streams),
 * while GC and allocator noise on an image of 160×120 stays well below it.
 */
const RSS_GROWTH_BOUND_MIB = 64;
const USUAL_SAMPLES = 5;

/**
 * The abuses are put in place one after another, each timed with valid images as it starts; each
 * then waits for the closes its timeouts promise while the next ones are timed (so later ones are
 * timed with earlier ones still open). A run at the default timeouts (120 s for a request, 75 s
 * idle) then takes about its longest wait, not the sum of them.
 */
export async function checkSlowClients(services: ServiceSet): Promise<CaseResult[]> {
  const image = await makeGoodJpeg();
  const valid = () => callEndpoint(services.protocol, services.address('orchestrator'), 'pipeline', { kind: 'image', bytes: image, fileName: 'valid.jpg' }, 30_000);
  const usualMs = await usualTime(valid);
  const results: Promise<CaseResult>[] = [];
  for (const target of abuseTargets(services)) {
    for (const abuse of abusesOf(target, timeoutsOf(services.serverConfig(target.service).connections))) {
      // The usual time as of now: `npm test` runs other suites on the same cores, and the machine's
      // load when the run began may not be its load when this abuse is timed.
      const now = await valid();
      const usualNowMs = now.ok ? Math.max(usualMs, now.ms) : usualMs;
      const measured = await measureWhileHeld(services, target, abuse, valid);
      results.push(judgeAbuse(services.protocol, target, abuse, measured, usualNowMs));
    }
  }
  return Promise.all(results);
}

function timeoutsOf({ headersTimeoutMs, requestTimeoutMs, idleTimeoutMs }: ConnectionLimits): Timeouts {
  return { headersMs: headersTimeoutMs, requestMs: requestTimeoutMs, idleMs: idleTimeoutMs };
}

/** The orchestrator, and a stage the valid image passes through (a REST stage over h2c when its orchestrator calls it so). */
function abuseTargets(services: ServiceSet): AbuseTarget[] {
  const at = (service: AbuseTarget['service'], wire: AbuseTarget['wire'], path: string) => ({ service, wire, path, address: services.address(service) });
  if (services.protocol === 'grpc') return [at('orchestrator', 'gRPC', OrchestratorServiceService.process.path), at('noise-reducer', 'gRPC', NoiseReducerServiceService.reduceNoise.path)];
  const stageWire = services.orchestratorConfig().restStageHttp2 ? 'h2c' : 'HTTP/1.1';
  return [at('orchestrator', 'HTTP/1.1', REST_ROUTES.pipeline), at('noise-reducer', stageWire, REST_ROUTES.reduceNoise)];
}

function fasterOf(first: CallOutcome, second: CallOutcome): CallOutcome {
  if (first.ok !== second.ok) return first.ok ? first : second;
  return first.ms <= second.ms ? first : second;
}

/** The median of a few sequential valid requests, after two that warm up models and connections. */
async function usualTime(valid: () => Promise<CallOutcome>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < USUAL_SAMPLES + 2; i++) {
    const outcome = await valid();
    if (!outcome.ok) throw new Error(`a valid image failed before any abuse: ${describeOutcome(outcome)}`);
    if (i >= 2) times.push(outcome.ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(USUAL_SAMPLES / 2)];
}

/** What was seen while an abuse was held, before waiting for its closes. */
interface HeldMeasurement {
  held: HeldAbuse;
  /** `performance.now()` once the abuse was in place: closes are timed from here. */
  startedAt: number;
  outcome: CallOutcome;
  stillHeld: number;
  rssBefore: number;
  rssDuring: number;
}

async function measureWhileHeld(services: ServiceSet, target: AbuseTarget, abuse: Abuse, valid: () => Promise<CallOutcome>): Promise<HeldMeasurement> {
  const rssBefore = await services.rssMiB(target.service);
  const held = await abuse.start();
  const startedAt = performance.now();
  // The faster of two valid images: `npm test` runs other suites on the same cores, and one slow
  // call is their noise; an abuse that holds a slot or starves the server slows both.
  const outcome = fasterOf(await valid(), await valid());
  const stillHeld = held.connections.filter((c) => c.isOpen).length;
  const rssDuring = await services.rssMiB(target.service);
  return { held, startedAt, outcome, stillHeld, rssBefore, rssDuring };
}

/** Waits for the closes the abuse's timeouts promise (at most until its window ends), then releases it and judges the case. */
async function judgeAbuse(protocol: Protocol, target: AbuseTarget, abuse: Abuse, measured: HeldMeasurement, usualMs: number): Promise<CaseResult> {
  const { held, startedAt, outcome, stillHeld, rssBefore: before, rssDuring: during } = measured;
  const window = abuse.closeWindow;
  if (window) await Promise.all(held.connections.map((c) => c.closedBy(startedAt + window.max)));
  const closedAfter = held.connections.flatMap((c) => (c.closedAt === undefined ? [] : [Math.round(c.closedAt - startedAt)])).sort((a, b) => a - b);
  const sent = held.serverSent();
  const releasedAfter = Math.round(performance.now() - startedAt);
  held.connections.forEach((c) => c.destroy());

  const count = held.connections.length;
  const growth = Math.round((during - before) * 10) / 10;
  const closedInWindow = !window || (closedAfter.length === count && closedAfter[0] >= window.min && closedAfter[count - 1] <= window.max);
  const answered = !abuse.status || held.connections[0].received().startsWith(`HTTP/1.1 ${abuse.status} `);
  const closes = closedAfter.length > 0 ? `${closedAfter.length}/${count} closed by the server after ${closedAfter[0]}–${closedAfter.at(-1)} ms` : `none closed by the server in ${releasedAfter} ms`;
  return {
    group: 'slow client',
    protocol,
    id: abuse.id,
    target: `${target.service} over ${target.wire} (${target.path})`,
    expected:
      `while held, the faster of two valid images OK within usual + ${LATENCY_ALLOWANCE_MS} ms (${usualMs + LATENCY_ALLOWANCE_MS} ms); RSS growth < ${RSS_GROWTH_BOUND_MIB} MiB` +
      (abuse.status ? `; answered ${abuse.status}` : '') +
      (window ? `; every connection closed by the server ${window.min}–${window.max} ms after` : ''),
    actual:
      `valid image ${outcome.ok ? 'OK' : describeOutcome(outcome)} in ${outcome.ms} ms (usual ${usualMs} ms) with ${stillHeld}/${count} abusive connection(s) open; ` +
      `RSS ${before} → ${during} MiB; ${closes}; server sent: ${sent}`,
    pass: outcome.ok && outcome.ms <= usualMs + LATENCY_ALLOWANCE_MS && growth < RSS_GROWTH_BOUND_MIB && closedInWindow && answered,
  };
}
