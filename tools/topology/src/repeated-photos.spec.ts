import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRepeatedPhotos } from './repeated-photos';

describe('writeRepeatedPhotos', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'repeated-photos-'));
    await Promise.all(['a.png', 'b.jpg', 'notes.txt'].map((name) => writeFile(join(dir, name), name)));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('repeats the photos in turn under numbered names until there are as many as asked', async () => {
    const out = await writeRepeatedPhotos(join(dir, 'out'), 5, [dir]);
    expect((await readdir(out)).sort()).toEqual(['1-a.png', '2-b.jpg', '3-a.png', '4-b.jpg', '5-a.png']);
  });

  it('refuses a folder without photos', async () => {
    await mkdir(join(dir, 'empty'));
    await expect(writeRepeatedPhotos(join(dir, 'none'), 2, [join(dir, 'empty')])).rejects.toThrow(/no image files/);
  });
});
