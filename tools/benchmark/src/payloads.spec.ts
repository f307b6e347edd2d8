import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPhotoPath } from '@imagepipeline/imaging/testing';
import { isPhotoPayload, loadPayloads, rawPixelsPayload } from './payloads';

describe('loadPayloads', () => {
  let own: string;

  beforeAll(async () => {
    own = await mkdtemp(join(tmpdir(), 'benchmark-own-photos-'));
    await copyFile(testPhotoPath('eagle.jpg'), join(own, 'my-bird.jpg'));
  });
  afterAll(() => rm(own, { recursive: true, force: true }));

  it("sends the user's photos, then the repository's, then the synthetic images", async () => {
    const payloads = await loadPayloads({ inputDirs: [own], photoLimit: 1, syntheticMegapixels: [0.01] });
    expect(payloads.map((p) => [p.name, p.kind])).toEqual([
      ['my-bird.jpg', 'photo'],
      ['astronaut.png', 'photo'],
      ['synthetic-0.01MP.jpg', 'synthetic'],
    ]);
    expect(payloads[0].image).toMatchObject({ format: 'jpeg', width: 800, height: 885, fileName: 'my-bird.jpg' });
    expect(payloads.map((p) => isPhotoPayload(p.name))).toEqual([true, true, false]);
  });

  it('refuses two payloads of the same name, whose samples would mix', async () => {
    await copyFile(testPhotoPath('chelsea.png'), join(own, 'chelsea.png'));
    await expect(loadPayloads({ inputDirs: [own], syntheticMegapixels: [] })).rejects.toThrow('two payloads are named chelsea.png');
  });
});

describe('rawPixelsPayload', () => {
  it('is raw RGB pixels of about the megapixels asked, 4:3, width × height × 3 bytes', () => {
    const payload = rawPixelsPayload(0.12);
    expect(payload.image).toMatchObject({ format: 'raw', width: 400, height: 300, channels: 3 });
    expect(payload.bytes).toBe(360_000);
    expect(payload.image.data.length).toBe(360_000);
    expect(isPhotoPayload(payload.name)).toBe(false);
  });
});
