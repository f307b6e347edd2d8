import { SERVICE_NAMES } from '@imagepipeline/config';
import { STAGE_NAMES } from '@imagepipeline/contracts';
import type { ByteCounts } from '@imagepipeline/topology';
import type { Payload } from './payloads';
import { pipelineCaller } from './pipeline-clients';
import type { HopSample } from './samples';
import type { Stack, Stacks } from './stacks';
import { interleaved } from './variants';

export interface HopPlan {
  topology: string;
  payloads: readonly Payload[];
  warmups: number;
  repetitions: number;
  log: (line: string) => void;
}

/**
 * Sends each payload alone through each variant, the variants interleaved per repetition
 * (A B C, B C A, ...), warm-ups discarded; per image: transport per hop and bytes per relay (none
 * when the stacks are direct).
 */
export async function measureHops(stacks: Stacks, plan: HopPlan): Promise<HopSample[]> {
  const samples: HopSample[] = [];
  const callers = Object.fromEntries(Object.values(stacks).map((s) => [s.variant, pipelineCaller(s.variant, s.clientAddress)]));
  try {
    for (let rep = -plan.warmups; rep < plan.repetitions; rep++) {
      for (const payload of plan.payloads) {
        for (const variant of interleaved(rep + plan.warmups)) {
          const stack = stacks[variant];
          if (!stack) continue;
          const sample = await measureOne(stack, callers[variant], payload, plan.topology, rep);
          if (rep >= 0) samples.push(sample);
          if (sample.error) plan.log(`  ${variant} ${payload.name}: ${sample.error}`);
        }
      }
      plan.log(`  hops ${plan.topology}: ${rep < 0 ? 'warm-up' : `repetition ${rep + 1}/${plan.repetitions}`} done`);
    }
  } finally {
    await Promise.all(Object.values(callers).map((caller) => caller.close()));
  }
  return samples;
}

async function measureOne(
  stack: Stack,
  caller: ReturnType<typeof pipelineCaller>,
  payload: Payload,
  topology: string,
  rep: number,
): Promise<HopSample> {
  const proxies = stack.proxies;
  const before = proxies && Object.fromEntries(SERVICE_NAMES.map((s) => [s, proxies[s].counts()]));
  const sample: HopSample = {
    topology,
    variant: stack.variant,
    payload: payload.name,
    megapixels: payload.megapixels,
    payloadBytes: payload.bytes,
    rep,
    clientMs: Number.NaN,
    totalMs: Number.NaN,
    transportMs: {},
    computeMs: {},
    bytes: {},
  };
  try {
    const answer = await caller.process(payload.image);
    sample.clientMs = answer.clientMs;
    sample.totalMs = answer.totalMs;
    sample.transportMs.client = answer.clientMs - answer.totalMs;
    for (const stage of STAGE_NAMES) {
      const span = answer.timeline.find((s) => s.stage === stage);
      if (!span) continue;
      sample.transportMs[stage] = span.endedAtMs - span.startedAtMs - span.computeMs;
      sample.computeMs[stage] = span.computeMs;
    }
  } catch (error) {
    sample.error = (error as Error).message;
  }
  if (!proxies || !before) return sample;
  // Let the last answer's bytes reach the relays' counters before reading them.
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const service of SERVICE_NAMES) {
    const after = proxies[service].counts();
    const start = before[service] as ByteCounts;
    sample.bytes[service] = { up: after.up - start.up, down: after.down - start.down };
  }
  return sample;
}
