// The memory-budget case, small: photos of 1 MP, more at once than a 64 MiB budget admits, on both
// routes of each protocol's orchestrator. The full run sends 48 MP photos at the default 4 GiB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Protocol } from '@imagepipeline/config';
import { checkMemoryBudget, type PhotoBurstStats } from './memory-budget';
import type { CaseResult } from './case-result';
import type { ServiceSet } from './service-set';
import { SMALL_PHOTO_BURST, startSmallBudgetServices } from './suites';

describe.each(['grpc', 'rest'] as const)('memory budget over %s', (protocol: Protocol) => {
  let services: ServiceSet;
  let result: { cases: CaseResult[]; stats: PhotoBurstStats[] };

  beforeAll(async () => {
    services = await startSmallBudgetServices(protocol);
    result = await checkMemoryBudget(services, SMALL_PHOTO_BURST);
  });

  afterAll(() => services?.stop());

  it('sends more photos at once than the budget holds, on both routes', () => {
    expect(result.stats.map((s) => s.route)).toEqual(protocol === 'grpc' ? ['/imagepipeline.v1.OrchestratorService/Process', '/imagepipeline.v1.OrchestratorService/ProcessStream'] : ['POST /v1/pipeline', 'POST /v1/jobs']);
    for (const burst of result.stats) expect(burst.sent).toBeGreaterThan(burst.admittedAtOnce);
  });

  it('processes each photo or refuses it with QUEUE_FULL and a retry-after; no service dies; the orchestrator stays within its budget', () => {
    expect(result.cases.filter((c) => !c.pass).map((c) => `${c.target}: expected ${c.expected}, got ${c.actual}`)).toEqual([]);
  });
});
