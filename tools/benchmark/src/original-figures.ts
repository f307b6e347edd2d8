// The original Python project's figures, from the seed baseline notes.
// Per-stage figures for the eight photos are in libs/stages/scripts/original-figures.ts (a script of
// another project, not importable from here); the benchmark needs the protocol comparisons below.

/** The original's stack re-measured on a 2-core machine like ours: medians per call, one at a time. */
export const ORIGINAL_PROTOCOL_FIGURES = [
  { call: 'gRPC echo (bytes back unchanged)', medianMs: 1.7, onePassMs: 37, imagesPerSecondAt8: 207 },
  { call: 'REST JSON+base64 echo', medianMs: 12.2, onePassMs: 273, imagesPerSecondAt8: 43 },
  { call: 'gRPC noise stage', medianMs: 167, onePassMs: 2659, imagesPerSecondAt8: 5.4 },
  { call: 'REST JSON+base64 noise stage', medianMs: 195, onePassMs: 3134, imagesPerSecondAt8: 4.8 },
] as const;

/** Its published local gRPC run: all eight photos done about 14.2 s after the first was sent. */
export const ORIGINAL_LOCAL_GRPC_EIGHT_PHOTOS_S = 14.2;
