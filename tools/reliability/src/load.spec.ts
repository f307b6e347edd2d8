// A small load through the orchestrator (every image accounted for, every process alive) and
// bursts beyond the bounds (refused quickly with 429 / RESOURCE_EXHAUSTED), both protocols.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import type { ServiceSet } from './service-set';
import { runLoadSuite, SMALL, startLoadServices, type LoadSuiteResult } from './suites';

describe.each(['grpc', 'rest'] as const)('load and backpressure over %s', (protocol: Protocol) => {
  let services: ServiceSet;
  let result: LoadSuiteResult;

  beforeAll(async () => {
    services = await startLoadServices(protocol);
    result = await runLoadSuite(services, SMALL);
  });

  afterAll(() => services?.stop());

  it(`accounts for every one of ${SMALL.loadImages} images at concurrency ${SMALL.loadConcurrency}; no process dies`, () => {
    const { load } = result;
    expect(load.lost).toBe(0);
    expect(load.ok + Object.values(load.errors).reduce((a, b) => a + b, 0)).toBe(SMALL.loadImages);
    expect(Object.values(load.alive).every(Boolean), JSON.stringify(load.alive)).toBe(true);
    // Reported, not asserted, in the small run: RSS before / peak / after per service.
    expect(Object.keys(load.rssMiB).length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bursts beyond the bounds quickly with QUEUE_FULL, losing nothing', () => {
    const problems = result.cases.filter((c) => c.group === 'backpressure' && !c.pass).map((c) => `${c.id}: ${c.actual}`);
    expect(problems).toEqual([]);
  });
});
