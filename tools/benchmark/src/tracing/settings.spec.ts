import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTracingBenchmarkSettings } from './settings';

describe('readTracingBenchmarkSettings', () => {
  it('defaults to 3 rounds over the repository photos at the client\'s concurrency, on ports from 27500', () => {
    expect(readTracingBenchmarkSettings([], { out: 'out' })).toEqual({ rounds: 3, inputDirs: [], concurrency: 8, out: resolve('out'), basePort: 27500 });
  });

  it('takes rounds, folders of photos (resolved), concurrency, out and base port', () => {
    expect(
      readTracingBenchmarkSettings(['--rounds', '1', '--input', 'a', '--input', '/photos/b', '--concurrency', '4', '--out', '/tmp/t', '--base-port', '28000'], { out: 'out' }),
    ).toEqual({ rounds: 1, inputDirs: [resolve('a'), '/photos/b'], concurrency: 4, out: '/tmp/t', basePort: 28000 });
  });

  it('refuses a count that is not a whole number of at least 1, and a port out of range', () => {
    expect(() => readTracingBenchmarkSettings(['--rounds', '0'], { out: 'out' })).toThrow(/--rounds/);
    expect(() => readTracingBenchmarkSettings(['--concurrency', '2.5'], { out: 'out' })).toThrow(/--concurrency/);
    expect(() => readTracingBenchmarkSettings(['--base-port', '80'], { out: 'out' })).toThrow(/--base-port/);
  });
});
