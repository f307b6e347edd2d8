import type { StageSpan } from '@imagepipeline/contracts';

/**
 * Parses the REST orchestrator's `x-timeline` header
 * (`upload;enqueued=0.0;started=0.1;ended=12.3;compute=10.2, noise_reduction;...`, times relative
 * to `x-received-at-ms`) back into spans.
 */
export function parseTimelineHeader(header: string, receivedAtMs: number): StageSpan[] {
  return header
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [stage, ...pairs] = entry.split(';');
      const value = Object.fromEntries(pairs.map((pair) => pair.split('=')).map(([key, number]) => [key, Number(number)]));
      return {
        stage,
        enqueuedAtMs: receivedAtMs + (value.enqueued ?? 0),
        startedAtMs: receivedAtMs + (value.started ?? 0),
        endedAtMs: receivedAtMs + (value.ended ?? 0),
        observedMs: (value.ended ?? 0) - (value.started ?? 0),
        computeMs: value.compute ?? 0,
      };
    });
}
