// Bad input on every public endpoint and odd valid images through the pipeline, both protocols,
// against the built apps as real processes (one set of services per protocol for the whole file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import type { CaseResult } from './case-result';
import type { ServiceSet } from './service-set';
import { runInputSuite, startInputServices } from './suites';

const failures = (results: CaseResult[], group: CaseResult['group']) =>
  results.filter((r) => r.group === group && !r.pass).map((r) => `${r.id} @ ${r.target}: expected ${r.expected}, got ${r.actual}`);

describe.each(['grpc', 'rest'] as const)('input over %s', (protocol: Protocol) => {
  let services: ServiceSet;
  let results: CaseResult[];

  beforeAll(async () => {
    services = await startInputServices(protocol);
    results = await runInputSuite(services);
  });

  afterAll(() => services?.stop());

  it('answers every bad input on every endpoint with its documented status and a message, staying healthy', () => {
    expect(results.filter((r) => r.group === 'bad input').length).toBeGreaterThan(50);
    expect(failures(results, 'bad input')).toEqual([]);
  });

  it('processes odd but valid images to RGBA PNG at their displayed size', () => {
    expect(failures(results, 'valid image')).toEqual([]);
  });

  it('is healthy afterwards: every service ready, a good image succeeds on every endpoint', () => {
    expect(failures(results, 'health')).toEqual([]);
  });
});
