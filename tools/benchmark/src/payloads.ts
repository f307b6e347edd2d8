import sharp from 'sharp';
import type { Image } from '@imagepipeline/contracts';
import { makeNoisyGradient, readSeedImages } from '@imagepipeline/imaging/testing';

/** One image the benchmark sends, with what the tables show about it. */
export interface Payload {
  name: string;
  kind: 'seed photo' | 'synthetic';
  megapixels: number;
  bytes: number;
  image: Image;
}

/**
 * A photographic-ish synthetic image of about `megapixels` (4:3): a colour gradient with gaussian
 * and impulse noise, JPEG quality 90 — big enough to test payload size, small enough for the limits
 * (16 MP is under the 40 M pixel limit; its PNG intermediates stay under the 64 MiB message limit).
 */
async function syntheticPayload(megapixels: number): Promise<Payload> {
  const width = Math.round(Math.sqrt((megapixels * 1e6 * 4) / 3));
  const height = Math.round((width * 3) / 4);
  const raw = makeNoisyGradient({ width, height, channels: 3, saltAndPepper: 0.01, gaussianSigma: 10, seed: 11 });
  const data = await sharp(raw.data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const name = `synthetic-${megapixels}MP.jpg`;
  return { name, kind: 'synthetic', megapixels: (width * height) / 1e6, bytes: data.length, image: { data, format: 'jpeg', width, height, fileName: name } };
}

/** The seed photos (all, or the first `limit`) and synthetic images of the given sizes. */
export async function loadPayloads(options: { seedLimit?: number; syntheticMegapixels: readonly number[] }): Promise<Payload[]> {
  const seeds = (await readSeedImages()).slice(0, options.seedLimit);
  const photos = await Promise.all(
    seeds.map(async ({ name, bytes }): Promise<Payload> => {
      const meta = await sharp(bytes).metadata();
      const width = meta.width ?? 0;
      const height = meta.height ?? 0;
      return {
        name,
        kind: 'seed photo',
        megapixels: (width * height) / 1e6,
        bytes: bytes.length,
        image: { data: bytes, format: meta.format === 'jpeg' ? 'jpeg' : (meta.format ?? ''), width, height, fileName: name },
      };
    }),
  );
  const synthetic: Payload[] = [];
  for (const megapixels of options.syntheticMegapixels) synthetic.push(await syntheticPayload(megapixels));
  return [...photos, ...synthetic];
}
