import type { LiveProtocol } from './live-events';

/** The web server's routes (Fastify syntax), the one place their paths are written. */
export const LIVE_ROUTES = {
  info: '/api/info',
  runs: '/api/runs',
  events: '/api/runs/:runId/events',
  processedImage: '/api/runs/:runId/images/:imageId/:protocol/processed.png',
  latencyCsv: '/api/runs/:runId/latency-:protocol.csv',
} as const;

/** Where a run's processed PNG of one image through one protocol is downloaded. */
export function processedImageUrl(runId: string, imageId: string, protocol: LiveProtocol): string {
  return `/api/runs/${encodeURIComponent(runId)}/images/${encodeURIComponent(imageId)}/${protocol}/processed.png`;
}

/** Where a run's latency CSV of one protocol is downloaded. */
export function latencyCsvUrl(runId: string, protocol: LiveProtocol): string {
  return `/api/runs/${encodeURIComponent(runId)}/latency-${protocol}.csv`;
}
