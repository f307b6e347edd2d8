import type { Protocol } from '@imagepipeline/config';

/**
 * Ports of the reliability runs: 231xx gRPC, 232xx REST, each set five consecutive ports from its
 * base (`boundedOrchestrator` is one extra port). Below Linux's ephemeral range (32768–60999), so a
 * socket some other test opened on port 0 never takes one; and away from tools/e2e (221xx–224xx)
 * and tools/benchmark (23000–23014 and 24000–24412 for its tests), so all of them may run on one
 * machine at once.
 */
export const RELIABILITY_PORTS: Record<
  Protocol,
  { input: number; load: number; boundedOrchestrator: number; faults: number; slowClients: number; defaultLimits: number; credentials: number }
> = {
  grpc: { input: 23100, load: 23120, boundedOrchestrator: 23130, faults: 23140, slowClients: 23150, defaultLimits: 23160, credentials: 23170 },
  rest: { input: 23200, load: 23220, boundedOrchestrator: 23230, faults: 23240, slowClients: 23250, defaultLimits: 23260, credentials: 23270 },
};
