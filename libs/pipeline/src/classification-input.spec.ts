import type { Image } from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { classificationInput } from './classification-input';

const raw = (width: number, height: number): Image => ({
  data: Buffer.alloc(width * height * 3, 50),
  format: 'raw',
  width,
  height,
  fileName: 'cat.jpg',
  channels: 3,
});

describe('classificationInput', () => {
  it('scales raw pixels larger than the classifier looks at to its shorter side of 256', async () => {
    const input = await classificationInput(raw(1200, 900));
    expect(input).toMatchObject({ format: 'raw', width: 341, height: 256, channels: 3, fileName: 'cat.jpg' });
    expect(input.data.length).toBe(341 * 256 * 3);
  });

  it('sends small raw pixels and encoded images as they are', async () => {
    const small = raw(300, 256);
    expect(await classificationInput(small)).toBe(small);
    const png: Image = { data: Buffer.from('png'), format: 'png', width: 4000, height: 3000, fileName: 'a.png', channels: 0 };
    expect(await classificationInput(png)).toBe(png);
  });
});
