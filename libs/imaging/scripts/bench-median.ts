/**
 * Times our SIMD median against sharp's `.median(5)` on the repository photos (samples/ and the test
 * photos), decoded first:
 *   npx tsx libs/imaging/scripts/bench-median.ts [rounds]
 * Prints the first (cold: includes compiling the wasm module) and the median of the other rounds.
 */
import sharp from 'sharp';
import { DEFAULT_IMAGE_LIMITS, decodeImage, medianFilter, type RawImage } from '../src/index';
import { readTestPhotos } from '../src/testing/index';

const rounds = Math.max(2, Number(process.argv[2] ?? 5));

async function timeRounds(run: () => Promise<void> | void): Promise<{ cold: number; warm: number }> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  return { cold: times[0], warm: warm[Math.floor((warm.length - 1) / 2)] };
}

const photos = await readTestPhotos();
const images: RawImage[] = await Promise.all(photos.map((photo) => decodeImage(photo.bytes, DEFAULT_IMAGE_LIMITS)));
const megapixels = images.reduce((sum, image) => sum + image.width * image.height, 0) / 1e6;
console.log(`${images.length} repository photos, ${megapixels.toFixed(2)} Mpx, ${rounds} rounds, Node ${process.version}`);

const report = (name: string, { cold, warm }: { cold: number; warm: number }) =>
  console.log(
    `${name.padEnd(32)} first ${cold.toFixed(1).padStart(7)} ms   median of rest ${warm.toFixed(1).padStart(7)} ms`,
  );

for (const kernelSize of [3, 5, 7]) {
  const filterAll = () => void images.map((image) => medianFilter(image, kernelSize));
  report(`medianFilter(k=${kernelSize}) (wasm SIMD)`, await timeRounds(filterAll));
}
report(
  'sharp .median(5) raw → raw',
  await timeRounds(async () => {
    for (const { data, width, height, channels } of images) {
      await sharp(data, { raw: { width, height, channels } }).median(5).raw().toBuffer();
    }
  }),
);
