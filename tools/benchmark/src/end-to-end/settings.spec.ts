import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPipelineBenchmarkSettings } from './settings';

describe('readPipelineBenchmarkSettings', () => {
  it('defaults to 7 runs per protocol over the repository photos at the client\'s concurrency', () => {
    expect(readPipelineBenchmarkSettings([], { out: 'out' })).toEqual({ runs: 7, inputDirs: [], concurrency: 8, out: resolve('out'), basePort: 26000 });
  });

  it('takes folders of photos, resolved', () => {
    expect(readPipelineBenchmarkSettings(['--input', 'a', '--input', '/photos/b', '--runs', '1'], { out: 'out' })).toMatchObject({ runs: 1, inputDirs: [resolve('a'), '/photos/b'] });
  });
});
