import type { Protocol } from '@imagepipeline/config';

/** One checked case: what was expected, what happened, and whether that is a pass. */
export interface CaseResult {
  group: 'bad input' | 'valid image' | 'health' | 'load' | 'fault' | 'backpressure' | 'slow client' | 'memory budget' | 'credentials';
  protocol: Protocol;
  id: string;
  /** Where it was sent, e.g. `POST /v1/upload` or `/imagepipeline.v1.UploaderService/Upload`. */
  target: string;
  expected: string;
  actual: string;
  pass: boolean;
}

export function describeOutcome(outcome: { ok: boolean; status: string; code?: string; message?: string }): string {
  const text = [outcome.status, outcome.code].filter(Boolean).join(' ');
  return outcome.message ? `${text}: ${outcome.message.slice(0, 160)}` : text;
}
