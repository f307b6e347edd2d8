import type { Protocol } from '@imagepipeline/config';

/**
 * Ports of the reliability runs: 551xx gRPC, 552xx REST, each set five consecutive ports from its
 * base. Away from the defaults (500xx), tools/e2e (52100–52204) and tools/benchmark (53000–53412
 * for `benchmark:run`, 54000–54412 for its test), so all of them may run on one machine at once.
 */
export const RELIABILITY_PORTS: Record<Protocol, { input: number; load: number; boundedOrchestrator: number; faults: number }> = {
  grpc: { input: 55100, load: 55120, boundedOrchestrator: 55130, faults: 55140 },
  rest: { input: 55200, load: 55220, boundedOrchestrator: 55230, faults: 55240 },
};
