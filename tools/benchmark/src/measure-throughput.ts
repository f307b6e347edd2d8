import type { ServiceName } from '@imagepipeline/config';
import type { Payload } from './payloads';
import { pipelineCaller } from './pipeline-clients';
import { readProcessUsage } from './process-usage';
import type { ThroughputSample } from './samples';
import type { Stack, Stacks } from './stacks';
import { interleaved } from './variants';

export interface ThroughputPlan {
  topology: string;
  payloads: readonly Payload[];
  concurrencyLevels: readonly number[];
  imagesPerLevel: number;
  log: (line: string) => void;
}

async function cpuOf(stack: Stack): Promise<Partial<Record<ServiceName, number>>> {
  const entries = await Promise.all(
    Object.entries(stack.pids).map(async ([service, pid]) => [service, (await readProcessUsage(pid))?.cpuSeconds ?? 0] as const),
  );
  return Object.fromEntries(entries);
}

/** `images` images (payloads cycled) through one variant with `concurrency` in flight. */
async function runLevel(stack: Stack, plan: ThroughputPlan, concurrency: number): Promise<ThroughputSample> {
  const caller = pipelineCaller(stack.variant, stack.clientAddress);
  const latenciesMs: number[] = [];
  let next = 0;
  let failed = 0;
  const cpuBefore = await cpuOf(stack);
  const start = performance.now();
  const worker = async () => {
    while (next < plan.imagesPerLevel) {
      const payload = plan.payloads[next++ % plan.payloads.length];
      try {
        latenciesMs.push((await caller.process(payload.image)).clientMs);
      } catch (error) {
        failed += 1;
        plan.log(`  ${stack.variant} at ${concurrency}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - start;
  const cpuAfter = await cpuOf(stack);
  await caller.close();
  const cpuSeconds = Object.fromEntries(Object.entries(cpuAfter).map(([s, v]) => [s, (v ?? 0) - (cpuBefore[s as ServiceName] ?? 0)]));
  return {
    topology: plan.topology,
    variant: stack.variant,
    concurrency,
    images: plan.imagesPerLevel,
    failed,
    wallMs,
    imagesPerSecond: (plan.imagesPerLevel - failed) / (wallMs / 1000),
    latenciesMs,
    cpuSeconds,
  };
}

/** Images/s at each concurrency level, the stacks' variants interleaved at each level. */
export async function measureThroughput(stacks: Stacks, plan: ThroughputPlan): Promise<ThroughputSample[]> {
  const samples: ThroughputSample[] = [];
  for (const [i, concurrency] of plan.concurrencyLevels.entries()) {
    for (const variant of interleaved(i)) {
      const stack = stacks[variant];
      if (!stack) continue;
      const sample = await runLevel(stack, plan, concurrency);
      samples.push(sample);
      plan.log(`  throughput ${plan.topology} ${variant} at ${concurrency}: ${sample.imagesPerSecond.toFixed(2)} images/s`);
    }
  }
  return samples;
}
