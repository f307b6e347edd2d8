// `nx run stages:bench`: each stage's own compute time on the repository photos, the median filter
// against sharp and OpenCV in the same run, model load times and peak memory, written to
// results/benchmarks/stages.md. Options: USAGE below.
// Models: resolved as the services do (PIPELINE_MODEL_DIR, PIPELINE_MODEL_CACHE_DIR, PIPELINE_MODEL_DOWNLOAD).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { parseCommandLine } from '@imagepipeline/config';
import type { Image } from '@imagepipeline/contracts';
import { decodeImage, DEFAULT_IMAGE_LIMITS, encodePng, medianFilter, type RawImage } from '@imagepipeline/imaging';
import { readPhotosIn, readTestPhotos } from '@imagepipeline/imaging/testing';
import { ForegroundSegmenter, ImageClassifier, modelOptionsFromEnv } from '@imagepipeline/models';
import { measurementContext } from '@imagepipeline/reporting';
import { classifyImage, reduceNoise, removeBackground, uploadImage } from '../src/index';
import { measureCameraSize, type CameraSizeResult } from './camera-sizes';
import { timeInterleavedRounds, type MedianContender } from './median-comparison';
import { startOpencvMedian } from './opencv-median';
import { renderStageReport } from './stage-report';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const USAGE = `usage: npx nx run stages:bench [--input DIR] [--passes N] [--rounds N] [--camera MP,...] [--camera-rounds N]

Each stage's own compute time (decode, work, encode; no transport), model load times and peak
memory, called in-process one image at a time after a warm-up pass; then where the time goes at
camera resolutions (photo-like JPEGs, handed on as raw pixels as the pipeline does); then the
median filter against sharp's and OpenCV's (python3-opencv, when /usr/bin/python3 imports cv2) on
the same decoded images, interleaved. Writes results/benchmarks/stages.md. A full run (5 passes,
9 rounds, the repository photos, 1, 12, 24 and 48 MP) takes about 1 min on 2 cores;
--passes 1 --rounds 3 --camera 1,12 --camera-rounds 1, a short run, about 30 s.

  --input DIR         photos to measure (default: samples/ and the test photos)
  --passes N          passes over the photos after the warm-up (default 5)
  --rounds N          interleaved rounds of the median comparison after its warm-up (default 9)
  --camera MP,...     camera resolutions in megapixels (default 1,12,24,48)
  --camera-rounds N   rounds per camera resolution after a warm-up round (default 3)
  -h, --help          this text
`;
const values = parseCommandLine(USAGE, {
  input: { type: 'string' },
  passes: { type: 'string', default: '5' },
  rounds: { type: 'string', default: '9' },
  camera: { type: 'string', default: '1,12,24,48' },
  'camera-rounds': { type: 'string', default: '3' },
});
const inputDir = values.input === undefined ? undefined : resolve(values.input);
const passes = Number(values.passes);
const rounds = Number(values.rounds);
const limits = DEFAULT_IMAGE_LIMITS;
const kernelSize = 5;
const context = measurementContext();

const photos = inputDir === undefined ? await readTestPhotos() : await readPhotosIn(inputDir);
const images: Image[] = photos.map(({ name, bytes }) => ({ data: bytes, format: '', width: 0, height: 0, channels: 0, fileName: name }));
const source = inputDir === undefined ? 'the repository (`samples/` and `libs/imaging/src/testing/photos/`)' : `\`${inputDir}\``;

const modelOptions = modelOptionsFromEnv(process.env);
const loadStart = performance.now();
const segmenter = await ForegroundSegmenter.load(modelOptions);
const segmenterLoadMs = performance.now() - loadStart;
const classifierStart = performance.now();
const classifier = await ImageClassifier.load(modelOptions);
const classifierLoadMs = performance.now() - classifierStart;

const stages = {
  upload: (image: Image) => uploadImage({ image, outputFormat: 'raw' }, { limits }),
  noise_reduction: (image: Image) => reduceNoise({ image, outputFormat: 'raw' }, { kernelSize, limits }),
  background_removal: (image: Image) => removeBackground(image, { segmenter, limits }),
  classification: (image: Image) => classifyImage(image, { classifier, topK: 5, limits }),
};
const stageMs: Record<string, number[][]> = Object.fromEntries(Object.keys(stages).map((stage) => [stage, []]));
for (let pass = 0; pass <= passes; pass++) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(stages).map((stage) => [stage, []]));
  for (const image of images) {
    for (const [stage, run] of Object.entries(stages)) times[stage].push((await run(image)).computeMs);
  }
  if (pass > 0) for (const stage of Object.keys(stages)) stageMs[stage].push(times[stage]); // pass 0 warms up
}
const cameraSizes: CameraSizeResult[] = [];
for (const megapixels of String(values.camera).split(',').map(Number)) {
  process.stderr.write(`camera resolution ${megapixels} MP\n`);
  const options = { megapixels, rounds: Number(values['camera-rounds']), segmenter, classifier, limits, kernelSize };
  cameraSizes.push(await measureCameraSize(options));
}
await Promise.all([segmenter.close(), classifier.close()]);

// The median filter alone, on decoded pixels, against libvips's (sharp) and OpenCV's, one thread each.
const decoded: RawImage[] = await Promise.all(images.map((image) => decodeImage(image.data, limits)));
const timed = (filterAll: () => unknown) => async () => {
  const start = performance.now();
  await filterAll();
  return performance.now() - start;
};
const ours = 'ours (WebAssembly SIMD)';
const contenders: MedianContender[] = [
  { name: ours, filterAll: timed(() => decoded.forEach((raw) => medianFilter(raw, kernelSize))) },
  {
    name: `sharp ${sharp.versions.sharp} \`.median(${kernelSize})\` (libvips ${sharp.versions.vips})`,
    filterAll: timed(async () => {
      for (const { data, width, height, channels } of decoded) {
        await sharp(data, { raw: { width, height, channels } }).median(kernelSize).raw().toBuffer();
      }
    }),
  },
];
const opencv = await startOpencvMedian(decoded, kernelSize);
if (opencv.available) contenders.push({ name: `OpenCV ${opencv.version} \`medianBlur(${kernelSize})\``, filterAll: opencv.filterAll });
const sharpThreads = sharp.concurrency();
sharp.concurrency(1);
const times = await timeInterleavedRounds(contenders, rounds).finally(() => (opencv.available ? opencv.close() : undefined));
sharp.concurrency(sharpThreads);

const pngEncodeMs: number[] = [];
const encodeAll = timed(async () => {
  for (const raw of decoded) await encodePng(raw);
});
for (let round = 0; round < 3; round++) pngEncodeMs.push(await encodeAll());

const report = renderStageReport({
  context,
  source,
  imageNames: images.map((image) => image.fileName),
  megapixels: decoded.reduce((sum, raw) => sum + raw.width * raw.height, 0) / 1e6,
  passes,
  stageMs,
  median: { kernelSize, rounds, times, reference: ours, opencv: opencv.available ? { threads: opencv.threads } : { missing: opencv.reason } },
  pngEncodeMs,
  cameraSizes,
  segmenterLoadMs,
  classifierLoadMs,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
});
await mkdir(join(root, 'results/benchmarks'), { recursive: true });
await writeFile(join(root, 'results/benchmarks/stages.md'), report);
process.stdout.write(report);
