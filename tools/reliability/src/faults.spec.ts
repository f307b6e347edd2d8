// Faults against real processes, both protocols: kill -9 of the background remover mid-run, a
// hanging remover, its restart, and SIGTERM to each service with requests in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import type { CaseResult } from './case-result';
import type { ServiceSet } from './service-set';
import { runFaultSuite, SMALL, startFaultServices } from './suites';

describe.each(['grpc', 'rest'] as const)('faults over %s', (protocol: Protocol) => {
  let services: ServiceSet;
  let results: CaseResult[];

  beforeAll(async () => {
    services = await startFaultServices(protocol);
    results = await runFaultSuite(services, SMALL);
  });

  afterAll(() => services?.stop());

  const check = (pattern: RegExp) => {
    const matching = results.filter((r) => pattern.test(r.id));
    expect(matching.length).toBeGreaterThan(0);
    expect(matching.filter((r) => !r.pass).map((r) => `${r.id}: expected ${r.expected}, got ${r.actual}`)).toEqual([]);
  };

  it('fails images with UNAVAILABLE / 503 after bounded retries when the remover is killed; the orchestrator stays up', () => check(/^kill -9/));
  it('fails images with DEADLINE_EXCEEDED / 504 when the remover hangs', () => check(/hangs/));
  it('succeeds again once the remover is restarted', () => check(/restarted/));
  it('drains in-flight requests, refuses new ones and exits 0 on SIGTERM, for every service', () => check(/^SIGTERM/));
});
