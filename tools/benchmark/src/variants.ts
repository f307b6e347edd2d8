import type { Protocol } from '@imagepipeline/config';

/**
 * The protocol variants compared. REST binary over HTTP/2 (h2c between the orchestrator and its
 * stages, with gRPC's windows) sits between REST binary and gRPC: against the first it shows what
 * HTTP/2 framing costs, against the second what protobuf and grpc-js cost on the same framing.
 */
export const VARIANTS = ['grpc', 'rest-binary', 'rest-h2', 'rest-json'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Record<Variant, string> = {
  grpc: 'gRPC',
  'rest-binary': 'REST binary',
  'rest-h2': 'REST binary over HTTP/2',
  'rest-json': 'REST JSON+base64',
};

export const PROTOCOL_OF: Record<Variant, Protocol> = { grpc: 'grpc', 'rest-binary': 'rest', 'rest-h2': 'rest', 'rest-json': 'rest' };

/** What a variant's services are started with, beyond their protocol (every service gets all of it). */
export const VARIANT_ENV: Record<Variant, Record<string, string>> = {
  grpc: {},
  'rest-binary': {},
  'rest-h2': { REST_STAGE_HTTP2: 'true' },
  'rest-json': { REST_STAGE_ENCODING: 'json' },
};

/** The variants in a rotated order for repetition `rep`, so none always goes first. */
export function interleaved(rep: number): Variant[] {
  const shift = rep % VARIANTS.length;
  return [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
}
