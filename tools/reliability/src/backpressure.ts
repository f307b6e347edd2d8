// Bursts beyond the configured bounds: the orchestrator's admission bound (an extra orchestrator
// with small ORCH_* bounds) and a stage server's own MAX_CONCURRENT / MAX_QUEUED.
import type { CaseResult } from './case-result';
import { runBurst, type BurstStats } from './load';
import type { ServiceSet } from './service-set';
import { endpointLabel } from './wire';

/** The orchestrator bounds of the burst run, small so a burst goes beyond them. */
export const SMALL_ORCHESTRATOR_BOUNDS: Record<string, string> = {
  ORCH_MAX_IN_FLIGHT: '4',
  ORCH_UPLOADER_QUEUE: '2',
  ORCH_NOISE_REDUCER_QUEUE: '2',
  ORCH_BACKGROUND_REMOVER_QUEUE: '2',
  ORCH_CLASSIFIER_QUEUE: '2',
};

/** A stage server's own bounds in the load run: one running, two waiting (remover and classifier). */
export const SMALL_STAGE_QUEUE_ENV: Record<string, string> = { MAX_QUEUED: '2' };

/**
 * A refusal is quick when the server answers it within this, or before the first accepted request
 * is answered (on two cores busy with other suites too, the work itself slows as much): either way
 * it did not wait behind the queued work.
 */
export const QUICK_REFUSAL_MS = 2000;
/** Memory stays bounded: RSS growth of the service that took the burst. */
export const BURST_RSS_GROWTH_MIB = 256;

export async function checkBackpressure(services: ServiceSet, extraOrchestratorPort: number, burst: number): Promise<{ cases: CaseResult[]; stats: Record<string, BurstStats> }> {
  const { protocol } = services;
  await services.startExtraOrchestrator('orchestrator-bounded', extraOrchestratorPort, SMALL_ORCHESTRATOR_BOUNDS);
  const orchestrator = await runBurst(services, { name: 'orchestrator-bounded', address: `127.0.0.1:${extraOrchestratorPort}`, endpoint: 'pipeline' }, burst);
  const stage = await runBurst(services, { name: 'background-remover', address: services.address('background-remover'), endpoint: 'remove-background' }, Math.max(8, Math.round(burst / 3)));
  const cases = [
    burstCase(protocol, `burst of ${orchestrator.sent} at ORCH_MAX_IN_FLIGHT=4`, endpointLabel(protocol, 'pipeline'), orchestrator, orchestrator.sent - 4 - 2 * 4),
    burstCase(protocol, `burst of ${stage.sent} at MAX_CONCURRENT=1, MAX_QUEUED=2`, endpointLabel(protocol, 'remove-background'), stage, stage.sent - 5),
  ];
  return { cases, stats: { orchestrator, 'background-remover': stage } };
}

function burstCase(protocol: ServiceSet['protocol'], id: string, target: string, stats: BurstStats, minRefused: number): CaseResult {
  const refusal = protocol === 'rest' ? '429 QUEUE_FULL' : 'RESOURCE_EXHAUSTED QUEUE_FULL';
  const growth = Math.round((stats.rssMiB.after - stats.rssMiB.before) * 10) / 10;
  const others = Object.entries(stats.otherErrors).map(([k, v]) => `${v}× ${k}`).join(', ') || 'none';
  return {
    group: 'backpressure',
    protocol,
    id,
    target,
    expected: `≥ ${minRefused} refused with ${refusal}, each within ${QUICK_REFUSAL_MS} ms or before the first accepted answer; the rest answered; RSS growth < ${BURST_RSS_GROWTH_MIB} MiB`,
    actual:
      `${stats.refused} refused (p50 ${stats.refusalMs.p50} ms, p95 ${stats.refusalMs.p95} ms, max ${stats.refusalMs.max} ms), ` +
      `${stats.ok} ok (first after ${Math.round(stats.firstAnswerMs)} ms), other errors: ${others}, ${stats.lost} lost; RSS ${stats.rssMiB.before} → ${stats.rssMiB.after} MiB`,
    pass:
      stats.refused >= minRefused &&
      stats.refusalMs.max <= Math.max(QUICK_REFUSAL_MS, stats.firstAnswerMs || 0) &&
      stats.lost === 0 &&
      growth < BURST_RSS_GROWTH_MIB,
  };
}
