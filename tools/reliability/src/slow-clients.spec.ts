// Slow and abusive clients against real processes, both protocols: each held while a valid image
// goes through the orchestrator, which must still be answered within its usual time + 1 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import type { CaseResult } from './case-result';
import type { ServiceSet } from './service-set';
import { runSlowClientSuite, startSlowClientServices } from './suites';

describe.each(['grpc', 'rest'] as const)('slow and abusive clients over %s', (protocol: Protocol) => {
  let services: ServiceSet;
  let results: CaseResult[];

  beforeAll(async () => {
    services = await startSlowClientServices(protocol);
    results = await runSlowClientSuite(services);
  });

  afterAll(() => services?.stop());

  const check = (pattern: RegExp, targets: number) => {
    const matching = results.filter((r) => pattern.test(r.id));
    expect(matching.length).toBe(targets);
    expect(matching.filter((r) => !r.pass).map((r) => `${r.id} @ ${r.target}: expected ${r.expected}, got ${r.actual}`)).toEqual([]);
  };

  it('serves others through slow headers, and closes that connection', () => check(/^slow headers/, 2));
  it('serves others through a body that never finishes (REST: cut off with 408)', () => check(/^slow body/, 2));
  it('serves others while a connection idles after a request, and closes it after IDLE_TIMEOUT_MS', () => check(/^idle keep-alive/, 2));
  it('serves others while many sockets send nothing, and closes them', () => check(/^many idle sockets/, 2));
  it('serves others through a flood of unfinished HTTP/2 streams on one connection', () => check(/^stream flood/, protocol === 'grpc' ? 2 : 1));
});
