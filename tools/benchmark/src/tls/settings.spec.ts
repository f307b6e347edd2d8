import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTlsBenchmarkSettings } from './settings';

describe('readTlsBenchmarkSettings', () => {
  it('defaults to 100 kB, 1 MB and 12 MP, 30 repetitions and 100 handshakes, on ports from 27000', () => {
    expect(readTlsBenchmarkSettings([], { out: 'out' })).toEqual({
      quick: false, megapixels: [0.033, 0.33, 12], warmups: 3, repetitions: 30, handshakes: 100, out: resolve('out'), basePort: 27000,
    });
  });

  it('runs short with --quick, and takes counts over it', () => {
    expect(readTlsBenchmarkSettings(['--quick'], { out: 'out' })).toMatchObject({ megapixels: [0.033, 0.33], repetitions: 5, handshakes: 20 });
    expect(readTlsBenchmarkSettings(['--quick', '--repetitions', '7'], { out: 'out' })).toMatchObject({ repetitions: 7, handshakes: 20 });
  });

  it('refuses a count that is not a whole number of at least 1, and a port out of range', () => {
    expect(() => readTlsBenchmarkSettings(['--repetitions', '0'], { out: 'out' })).toThrow(/--repetitions/);
    expect(() => readTlsBenchmarkSettings(['--handshakes', '2.5'], { out: 'out' })).toThrow(/--handshakes/);
    expect(() => readTlsBenchmarkSettings(['--base-port', '80'], { out: 'out' })).toThrow(/--base-port/);
  });
});
