import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReplicasBenchmarkSettings } from './settings';

describe('readReplicasBenchmarkSettings', () => {
  it('defaults to 5 runs of 16 images at the client\'s concurrency', () => {
    expect(readReplicasBenchmarkSettings([], { out: 'out' })).toEqual({ runs: 5, images: 16, concurrency: 8, out: resolve('out') });
  });

  it('refuses a count that is not a whole number of at least 1', () => {
    expect(() => readReplicasBenchmarkSettings(['--runs', '0'], { out: 'out' })).toThrow(/--runs/);
    expect(() => readReplicasBenchmarkSettings(['--images', '2.5'], { out: 'out' })).toThrow(/--images/);
  });
});
