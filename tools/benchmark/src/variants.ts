import type { Protocol } from '@imagepipeline/config';

/** The three protocol variants compared. */
export const VARIANTS = ['grpc', 'rest-binary', 'rest-json'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Record<Variant, string> = {
  grpc: 'gRPC',
  'rest-binary': 'REST binary',
  'rest-json': 'REST JSON+base64',
};

export const PROTOCOL_OF: Record<Variant, Protocol> = { grpc: 'grpc', 'rest-binary': 'rest', 'rest-json': 'rest' };

/** The variants in a rotated order for repetition `rep`, so none always goes first. */
export function interleaved(rep: number): Variant[] {
  const shift = rep % VARIANTS.length;
  return [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
}
