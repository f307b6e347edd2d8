import { describe, expect, it } from 'vitest';
import * as live from './index';

describe('@imagepipeline/live public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(live).sort()).toEqual(['LIVE_DEFAULTS', 'LIVE_MODES', 'LIVE_ROUTES', 'LiveRuns', 'latencyCsvUrl', 'loadWebConfig', 'processedImageUrl']);
  });

  it('builds the URLs the routes answer', () => {
    expect(live.processedImageUrl('r 1', 'i1', 'grpc')).toBe('/api/runs/r%201/images/i1/grpc/processed.png');
    expect(live.latencyCsvUrl('r1', 'rest')).toBe('/api/runs/r1/latency-rest.csv');
  });
});
