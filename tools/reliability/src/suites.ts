// The suites both runners share: each starts its own services, runs its cases and stops them.
// `npm test` runs them with SMALL settings, `nx run reliability:run` with FULL ones.
import type { Protocol } from '@imagepipeline/config';
import { checkBackpressure, SMALL_STAGE_QUEUE_ENV } from './backpressure';
import { LIGHT_LIMITS_ENV } from './cases';
import type { CaseResult } from './case-result';
import { checkCredentials, makeCredentialKit } from './credentials';
import { checkFaults, FAULT_ORCHESTRATOR_ENV } from './faults';
import { checkBadInput, checkHealthy, checkValidImages } from './input-checks';
import { loadCases, runLoad, type BurstStats, type LoadStats } from './load';
import { CAMERA_BURST, checkMemoryBudget, type PhotoBurst, type PhotoBurstStats } from './memory-budget';
import { RELIABILITY_PORTS } from './ports';
import { portsFrom, ServiceSet } from './service-set';
import { checkSlowClients, slowClientEnv } from './slow-clients';

export interface SuiteSettings {
  loadImages: number;
  loadConcurrency: number;
  settleMs: number;
  /** Requests sent at once to the bounded orchestrator. */
  burst: number;
  /** Images sent while the background remover is killed. */
  killImages: number;
  /** Check that RSS returns near its start (only meaningful with a long load). */
  checkMemory: boolean;
}

export const FULL: SuiteSettings = { loadImages: 300, loadConcurrency: 32, settleMs: 15_000, burst: 40, killImages: 8, checkMemory: true };
export const SMALL: SuiteSettings = { loadImages: 24, loadConcurrency: 6, settleMs: 2_000, burst: 16, killImages: 6, checkMemory: false };

export async function withServiceSet<T>(set: Promise<ServiceSet>, body: (services: ServiceSet) => Promise<T>): Promise<T> {
  const services = await set;
  try {
    return await body(services);
  } finally {
    await services.stop();
  }
}

/** Bad input on every endpoint, odd valid images through the pipeline, then health and a good image everywhere. */
export async function runInputSuite(services: ServiceSet): Promise<CaseResult[]> {
  return [...(await checkBadInput(services)), ...(await checkValidImages(services)), ...(await checkHealthy(services))];
}

export function startInputServices(protocol: Protocol): Promise<ServiceSet> {
  return ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].input), env: LIGHT_LIMITS_ENV });
}

export interface LoadSuiteResult {
  cases: CaseResult[];
  load: LoadStats;
  bursts: Record<string, BurstStats>;
}

/** Load with RSS, then the bursts beyond the bounds. */
export async function runLoadSuite(services: ServiceSet, settings: SuiteSettings): Promise<LoadSuiteResult> {
  const load = await runLoad(services, { images: settings.loadImages, concurrency: settings.loadConcurrency, settleMs: settings.settleMs });
  const backpressure = await checkBackpressure(services, RELIABILITY_PORTS[services.protocol].boundedOrchestrator, settings.burst);
  return { cases: [...loadCases(services, load, settings.checkMemory), ...backpressure.cases], load, bursts: backpressure.stats };
}

export function startLoadServices(protocol: Protocol): Promise<ServiceSet> {
  return ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].load), env: SMALL_STAGE_QUEUE_ENV });
}

/** kill -9, hang, restart, then SIGTERM to every service (the set is down afterwards). */
export async function runFaultSuite(services: ServiceSet, settings: SuiteSettings): Promise<CaseResult[]> {
  return checkFaults(services, { images: settings.killImages });
}

export function startFaultServices(protocol: Protocol): Promise<ServiceSet> {
  return ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].faults), orchestratorEnv: FAULT_ORCHESTRATOR_ENV });
}

/** Slow headers, a slow body, an idle keep-alive, many idle sockets and a stream flood, each while a valid image is timed. */
export async function runSlowClientSuite(services: ServiceSet): Promise<CaseResult[]> {
  return checkSlowClients(services);
}

export function startSlowClientServices(protocol: Protocol): Promise<ServiceSet> {
  return ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].slowClients), env: slowClientEnv(protocol) });
}

/**
 * Services with mutual TLS and a token on every port (fresh throwaway credentials): each bad
 * credential at the orchestrator and the classifier, then a good image end to end.
 */
export async function runCredentialSuite(protocol: Protocol): Promise<CaseResult[]> {
  const kit = await makeCredentialKit();
  const services = ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].credentials), tls: kit.tls });
  return withServiceSet(services, (started) => checkCredentials(started, kit));
}

/** Every service with only its port set: each limit, timeout and budget at README's default. */
export function startDefaultLimitsServices(protocol: Protocol): Promise<ServiceSet> {
  return ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].defaultLimits) });
}

export interface DefaultLimitsSuiteResult {
  cases: CaseResult[];
  photoBursts: PhotoBurstStats[];
}

/** The slow and abusive clients at the default timeouts, then camera photos beyond the default memory budget. */
export async function runDefaultLimitsSuite(services: ServiceSet): Promise<DefaultLimitsSuiteResult> {
  const slow = (await checkSlowClients(services)).map((c) => ({ ...c, id: `${c.id} (default timeouts)` }));
  const budget = await checkMemoryBudget(services, CAMERA_BURST);
  return { cases: [...slow, ...budget.cases], photoBursts: budget.stats };
}

/** `npm test`'s version of the memory-budget case: the smallest budget the orchestrator takes, and photos to match. */
export const SMALL_BUDGET_ENV: Record<string, string> = { ORCH_MEMORY_BUDGET_MB: '64' };
export const SMALL_PHOTO_BURST: PhotoBurst = { megapixels: 1, photos: 6 };

export function startSmallBudgetServices(protocol: Protocol): Promise<ServiceSet> {
  return ServiceSet.start({ protocol, ports: portsFrom(RELIABILITY_PORTS[protocol].defaultLimits), orchestratorEnv: SMALL_BUDGET_ENV });
}
