import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from './settings';

describe('readSettings', () => {
  it('takes any number of --input folders of the user\'s photos, resolved', () => {
    expect(readSettings([], { out: 'out' }).inputDirs).toEqual([]);
    expect(readSettings(['--input', 'a', '--input', '/photos/b'], { out: 'out' }).inputDirs).toEqual([resolve('a'), '/photos/b']);
  });

  it('sends 12, 24 and 48 MP camera photos in a full run, none in a quick one, or the sizes asked for', () => {
    expect(readSettings([], { out: 'out' })).toMatchObject({ cameraMegapixels: [12, 24, 48], onlyCamera: false });
    expect(readSettings(['--quick'], { out: 'out' }).cameraMegapixels).toEqual([]);
    expect(readSettings(['--quick', '--camera', '12', '--only-camera'], { out: 'out' })).toMatchObject({ cameraMegapixels: [12], onlyCamera: true });
    expect(readSettings(['--camera', ''], { out: 'out' }).cameraMegapixels).toEqual([]);
  });
});
