// `nx run stages:bench`: each stage's own compute time on the repository photos, model load times
// and peak memory, written to results/benchmarks/stages.md beside the original project's figures.
// Options: USAGE below.
// Models: resolved as the services do (PIPELINE_MODEL_DIR, PIPELINE_MODEL_CACHE_DIR, PIPELINE_MODEL_DOWNLOAD).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { parseCommandLine } from '@imagepipeline/config';
import type { Image } from '@imagepipeline/contracts';
import { decodeImage, DEFAULT_IMAGE_LIMITS, encodePng, medianFilter } from '@imagepipeline/imaging';
import { readPhotosIn, readTestPhotos } from '@imagepipeline/imaging/testing';
import { ForegroundSegmenter, ImageClassifier, modelOptionsFromEnv } from '@imagepipeline/models';
import { classifyImage, reduceNoise, removeBackground, uploadImage } from '../src/index';
import { ORIGINAL_LOCAL_GRPC_MS, ORIGINAL_LOCAL_REST_MS, ORIGINAL_REMEASURED } from './original-figures';
import { quantile } from '@imagepipeline/reporting';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const USAGE = `usage: npx nx run stages:bench [--input DIR] [--passes N]

Each stage's own compute time (decode, work, encode; no transport), model load times and peak
memory, called in-process one image at a time after a warm-up pass; writes
results/benchmarks/stages.md beside the original project's figures. A full run (5 passes over the
repository photos) takes about 1 min on 2 cores; --passes 1, a short run, about 20 s.

  --input DIR   photos to measure (default: samples/ and the test photos)
  --passes N    passes over the photos after the warm-up (default 5)
  -h, --help    this text
`;
const values = parseCommandLine(USAGE, { input: { type: 'string' }, passes: { type: 'string', default: '5' } });
const inputDir = values.input === undefined ? undefined : resolve(values.input);
const passes = Number(values.passes);
const limits = DEFAULT_IMAGE_LIMITS;

const photos = inputDir === undefined ? await readTestPhotos() : await readPhotosIn(inputDir);
const images: Image[] = photos.map(({ name, bytes }) => ({ data: bytes, format: '', width: 0, height: 0, fileName: name }));
const source = inputDir === undefined ? 'the repository photos (`samples/` and the test photos)' : `\`${inputDir}\``;

const modelOptions = modelOptionsFromEnv(process.env);
const loadStart = performance.now();
const segmenter = await ForegroundSegmenter.load(modelOptions);
const segmenterLoadMs = performance.now() - loadStart;
const classifierStart = performance.now();
const classifier = await ImageClassifier.load(modelOptions);
const classifierLoadMs = performance.now() - classifierStart;

const uploadDir = join(root, 'tmp/bench-uploads');
const stages = {
  upload: (image: Image) => uploadImage(image, { uploadDir, limits }),
  noise_reduction: (image: Image) => reduceNoise(image, { kernelSize: 5, limits }),
  background_removal: (image: Image) => removeBackground(image, { segmenter, limits }),
  classification: (image: Image) => classifyImage(image, { classifier, topK: 5, limits }),
};
const samples: Record<string, number[]> = { upload: [], noise_reduction: [], background_removal: [], classification: [] };
for (let pass = 0; pass <= passes; pass++) {
  for (const image of images) {
    for (const [stage, run] of Object.entries(stages)) {
      const { computeMs } = await run(image);
      if (pass > 0) samples[stage].push(computeMs); // pass 0 warms up
    }
  }
}

// The median filter alone, on decoded pixels, against sharp's libvips median.
const decoded = await Promise.all(images.map((image) => decodeImage(image.data, limits)));
const ours: number[] = [];
const libvips: number[] = [];
const pngEncode: number[] = [];
for (let pass = 0; pass < 3; pass++) {
  let start = performance.now();
  for (const raw of decoded) medianFilter(raw, 5);
  ours.push(performance.now() - start);
  start = performance.now();
  for (const raw of decoded) {
    await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } }).median(5).raw().toBuffer();
  }
  libvips.push(performance.now() - start);
  start = performance.now();
  for (const raw of decoded) await encodePng(raw);
  pngEncode.push(performance.now() - start);
}
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
await Promise.all([segmenter.close(), classifier.close()]);

const median = (samples: readonly number[]) => quantile(samples, 0.5);
const p95 = (samples: readonly number[]) => quantile(samples, 0.95);
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const rows = Object.keys(samples).map((stage) => {
  const grpc = ORIGINAL_LOCAL_GRPC_MS[stage];
  const rest = ORIGINAL_LOCAL_REST_MS[stage];
  return `| ${stage} | ${fmt(median(samples[stage]))} | ${fmt(p95(samples[stage]))} | ${fmt(median(grpc))} | ${fmt(median(rest))} | ${(median(grpc) / median(samples[stage])).toFixed(1)}× |`;
});
const report = `# Stage benchmark

Each stage's own compute time (decode, work, encode; no transport), called in-process one image at a
time, ${passes} passes over ${images.length} images from ${source}
after one warm-up pass. Written by \`npx nx run stages:bench\` on ${new Date().toISOString().slice(0, 10)}.

Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.

| stage | median ms | p95 ms | original gRPC median ms | original REST median ms | original gRPC ÷ ours |
|---|---|---|---|---|---|
${rows.join('\n')}

The original's figures are per-image times as its orchestrator saw them (transport included) on its
own hardware, so the last column is indicative, not a like-for-like ratio; the protocol benchmark
(\`nx run benchmark:run\`) compares transports on the same machine.

## Median filter (kernel 5) on all ${images.length} decoded images

| implementation | ms for all images (median of 3) |
|---|---|
| ours (WebAssembly SIMD) | ${fmt(median(ours))} |
| sharp \`.median(5)\` (libvips), measured now | ${fmt(median(libvips))} |
| OpenCV \`medianBlur(5)\` on the original project's eight photos, from the seed baseline notes | ${ORIGINAL_REMEASURED.opencvMedianBlurEightPhotosMs} |

PNG encode of all ${images.length} images (compression level of the stages): ${fmt(median(pngEncode))} ms.

## Models and memory

| | |
|---|---|
| U2-Net-p load (resolve, verify sha256, session, warm-up) | ${fmt(segmenterLoadMs)} ms |
| MobileNetV2 int8 load | ${fmt(classifierLoadMs)} ms |
| peak RSS of the benchmark process | ${peakRssMiB.toFixed(0)} MiB |
`;
await mkdir(join(root, 'results/benchmarks'), { recursive: true });
await writeFile(join(root, 'results/benchmarks/stages.md'), report);
process.stdout.write(report);
