import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from './settings';

describe('readSettings', () => {
  it('takes any number of --input folders of the user\'s photos, resolved', () => {
    expect(readSettings([], { out: 'out' }).inputDirs).toEqual([]);
    expect(readSettings(['--input', 'a', '--input', '/photos/b'], { out: 'out' }).inputDirs).toEqual([resolve('a'), '/photos/b']);
  });
});
