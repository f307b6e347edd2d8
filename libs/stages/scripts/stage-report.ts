// The stage bench's report (results/benchmarks/stages.md) from what it measured: every time with its
// spread, every comparison from this run, the original project's figures labelled as its own.
import { summarize, type MeasurementContext } from '@imagepipeline/reporting';
import { ORIGINAL_LOCAL_GRPC_MS, ORIGINAL_LOCAL_REST_MS } from './original-figures';
import { perRoundRatios, type RoundTimes } from './median-comparison';
import { OPENCV_INSTALL, SYSTEM_PYTHON } from './opencv-median';
import type { CameraSizeResult } from './camera-sizes';

export interface MedianComparison {
  kernelSize: number;
  rounds: number;
  times: RoundTimes;
  /** The contender the others are divided by. */
  reference: string;
  /** OpenCV's threads when it ran, or why it is not among the contenders. */
  opencv: { threads: number } | { missing: string };
}

export interface StageBenchResult {
  context: MeasurementContext;
  source: string;
  imageNames: string[];
  megapixels: number;
  passes: number;
  /** Compute milliseconds per stage: one array per pass, one sample per image. */
  stageMs: Record<string, number[][]>;
  median: MedianComparison;
  pngEncodeMs: number[];
  cameraSizes: CameraSizeResult[];
  segmenterLoadMs: number;
  classifierLoadMs: number;
  peakRssMiB: number;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const spread = (samples: readonly number[], digits: (n: number) => string = fmt) => {
  const { min, max } = summarize(samples);
  return `${digits(min)}–${digits(max)}`;
};
const ratio = (n: number) => `${n.toFixed(1)}×`;

function stageTable(result: StageBenchResult): string[] {
  const rows = Object.entries(result.stageMs).map(([stage, passes]) => {
    const all = summarize(passes.flat());
    const passMedians = passes.map((samples) => summarize(samples).median);
    return `| ${stage} | ${fmt(all.median)} | ${spread(passMedians)} | ${fmt(all.q1)}–${fmt(all.q3)} | ${fmt(all.p95)} |`;
  });
  return [
    '| stage | median ms | pass medians, min–max ms | IQR ms (over images) | p95 ms |',
    '|---|---|---|---|---|',
    ...rows,
  ];
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function cameraTable(sizes: readonly CameraSizeResult[]): string[] {
  const header = sizes.map((size) => `${size.megapixels} MP (${size.width}×${size.height})`);
  const steps = sizes[0]?.steps ?? [];
  const cell = (size: CameraSizeResult, stage: string, step: string) => {
    const found = size.steps.find((candidate) => candidate.stage === stage && candidate.step === step);
    return found ? `${fmt(found.medianMs)} (${fmt(found.minMs)}–${fmt(found.maxMs)})` : '—';
  };
  return [
    `| stage | step | ${header.join(' | ')} |`,
    `|---|---|${header.map(() => '---').join('|')}|`,
    ...steps.map(({ stage, step }) => {
      const name = step === 'stage' ? '**the whole stage**' : step;
      return `| ${stage} | ${name} | ${sizes.map((size) => cell(size, stage, step)).join(' | ')} |`;
    }),
    `| bytes | JPEG sent by the client | ${sizes.map((size) => megabytes(size.jpegBytes)).join(' | ')} |`,
    `| bytes | raw RGB pixels between stages | ${sizes.map((size) => megabytes(size.rawBytes)).join(' | ')} |`,
    `| bytes | RGBA PNG answered (level 0) | ${sizes.map((size) => megabytes(size.pngBytes)).join(' | ')} |`,
  ];
}

function originalTable(): string[] {
  const median = (samples: readonly number[]) => summarize(samples).median;
  return [
    '| stage | the original, local gRPC, median ms | the original, local REST, median ms |',
    '|---|---|---|',
    ...Object.keys(ORIGINAL_LOCAL_GRPC_MS).map(
      (stage) => `| ${stage} | ${fmt(median(ORIGINAL_LOCAL_GRPC_MS[stage]))} | ${fmt(median(ORIGINAL_LOCAL_REST_MS[stage]))} |`,
    ),
  ];
}

function medianTable({ times, reference }: MedianComparison): string[] {
  const rows = Object.entries(times).map(([name, samples]) => {
    const ratios = perRoundRatios(times, name, reference);
    const against = name === reference ? '1 (the reference)' : `${ratio(summarize(ratios).median)} (${spread(ratios, ratio)})`;
    return `| ${name} | ${fmt(summarize(samples).median)} | ${spread(samples)} | ${against} |`;
  });
  return [
    `| implementation, one thread each | ms for all images, median | min–max ms | ÷ ours in the same round, median (min–max) |`,
    '|---|---|---|---|',
    ...rows,
  ];
}

export function renderStageReport(result: StageBenchResult): string {
  const { context, median } = result;
  const opencvNote =
    'missing' in median.opencv
      ? `**OpenCV was not measured**: ${median.opencv.missing}. Install it with \`${OPENCV_INSTALL}\` (Debian; \`${SYSTEM_PYTHON}\` must import \`cv2\`) and run the bench again.`
      : `OpenCV ran in a Python worker (\`libs/stages/scripts/opencv-median.py\`, \`${SYSTEM_PYTHON}\`) after \`cv2.setNumThreads(1)\` (\`cv2.getNumThreads()\` then answered ${median.opencv.threads}), timed inside Python with the images already loaded.`;
  return `# Stage benchmark

Written by \`npx nx run stages:bench\` on ${context.date}.
Machine: ${context.machine}. Load average at start: ${context.loadAverage}.
The machine is shared: compare the figures within this report, not with another day's.

Each stage's own compute time (decode, work, encode; no transport), called in-process one image at a
time, ${result.passes} pass${result.passes === 1 ? '' : 'es'} over ${result.imageNames.length} images (${result.megapixels.toFixed(2)} Mpx in all) from ${result.source}
(${result.imageNames.join(', ')}) after one warm-up pass.

${stageTable(result).join('\n')}

"Median" and "IQR" are over every image of every pass; "pass medians" is the spread of the median of
each pass, i.e. from one pass to the next.

## Camera resolutions: where a stage's time goes

Photo-like JPEGs (4:3 gradient with Gaussian and impulse noise, quality 92) of each size, one at a
time, handed on as the pipeline does: the uploader answers raw pixels, the noise reducer takes and
answers raw pixels, the background remover and the classifier take the denoised raw pixels. Median
ms (min–max) over the rounds after a warm-up round; a step is timed apart from its stage. No transport here: \`benchmark:run\` measures it per hop.

${cameraTable(result.cameraSizes).join('\n')}

## Median filter (kernel ${median.kernelSize}) on all ${result.imageNames.length} decoded images

${median.rounds} rounds after one warm-up round; each round times every implementation once over all
images, in a rotated order, and the ratio to ours is taken within the round. Our median is
single-threaded WebAssembly SIMD; sharp runs with \`sharp.concurrency(1)\`. ${opencvNote}

${medianTable(median).join('\n')}

PNG encode of all ${result.imageNames.length} images (compression level of the stages): ${fmt(summarize(result.pngEncodeMs).median)} ms (${spread(result.pngEncodeMs)} ms over ${result.pngEncodeMs.length} rounds).

## Models and memory

| | |
|---|---|
| U2-Net-p load (resolve, verify sha256, session, warm-up) | ${fmt(result.segmenterLoadMs)} ms |
| MobileNetV2 int8 load | ${fmt(result.classifierLoadMs)} ms |
| peak RSS of the benchmark process | ${result.peakRssMiB.toFixed(0)} MiB |

## The original project's published figures (its hardware, its eight photos)

Not measured here and not on these photos: per-image times as the original's orchestrator saw them
(transport included), median over its eight seed photos, as it published them. Its classifier was
ResNet-50 (ours: MobileNetV2 int8), its background model the 176 MB U2-Net (ours: U2-Net-p).

${originalTable().join('\n')}
`;
}
