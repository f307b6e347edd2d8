import sharp from 'sharp';
import { RAW_PIXELS_FORMAT, type Image } from '@imagepipeline/contracts';
import { makeNoisyGradient, photoSize, readPhotosIn, readTestPhotos, type PhotoFile } from '@imagepipeline/imaging/testing';

const SYNTHETIC_PREFIX = 'synthetic-';

/** One image the benchmark sends, with what the tables show about it. */
export interface Payload {
  name: string;
  kind: 'photo' | 'synthetic';
  megapixels: number;
  bytes: number;
  image: Image;
}

/** A colour gradient with gaussian and impulse noise, RGB, of about `megapixels` (4:3): photographic-ish pixels. */
function noisyPixels(megapixels: number) {
  const { width, height } = photoSize(megapixels);
  return makeNoisyGradient({ width, height, channels: 3, saltAndPepper: 0.01, gaussianSigma: 10, seed: 11 });
}

/**
 * A photographic-ish synthetic image of about `megapixels` (4:3): {@link noisyPixels} as a JPEG of
 * quality 90, as a camera would send (within the default 52 MP limit).
 */
export async function syntheticPayload(megapixels: number): Promise<Payload> {
  const { data: pixels, width, height } = noisyPixels(megapixels);
  const data = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const name = `${SYNTHETIC_PREFIX}${megapixels}MP.jpg`;
  return { name, kind: 'synthetic', megapixels: (width * height) / 1e6, bytes: data.length, image: { data, format: 'jpeg', width, height, fileName: name, channels: 0 } };
}

/** {@link noisyPixels} undecoded, as stages hand each other images (`format` raw): width × height × 3 bytes. */
export function rawPixelsPayload(megapixels: number): Payload {
  const { data: pixels, width, height } = noisyPixels(megapixels);
  const data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const name = `${SYNTHETIC_PREFIX}${megapixels}MP.raw`;
  return { name, kind: 'synthetic', megapixels: (width * height) / 1e6, bytes: data.length, image: { data, format: RAW_PIXELS_FORMAT, width, height, fileName: name, channels: 3 } };
}

async function photoPayload({ name, bytes }: PhotoFile): Promise<Payload> {
  const meta = await sharp(bytes).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  return {
    name,
    kind: 'photo',
    megapixels: (width * height) / 1e6,
    bytes: bytes.length,
    image: { data: bytes, format: meta.format ?? '', width, height, fileName: name, channels: 0 },
  };
}

/**
 * The photos of every folder in `inputDirs` (the user's own), then the repository's photos (all, or
 * the first `photoLimit`), then synthetic images of the given sizes.
 */
export async function loadPayloads(options: { inputDirs: readonly string[]; photoLimit?: number; syntheticMegapixels: readonly number[] }): Promise<Payload[]> {
  const own = (await Promise.all(options.inputDirs.map(readPhotosIn))).flat();
  const repository = (await readTestPhotos()).slice(0, options.photoLimit);
  const photos = await Promise.all([...own, ...repository].map(photoPayload));
  const synthetic: Payload[] = [];
  for (const megapixels of options.syntheticMegapixels) synthetic.push(await syntheticPayload(megapixels));
  const payloads = [...photos, ...synthetic];
  const names = payloads.map((payload) => payload.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new Error(`two payloads are named ${repeated}: their samples would mix; rename one`);
  return payloads;
}

/** Whether a payload name is a photo's rather than a synthetic image's (also in an older raw.json). */
export function isPhotoPayload(name: string): boolean {
  return !name.startsWith(SYNTHETIC_PREFIX);
}
