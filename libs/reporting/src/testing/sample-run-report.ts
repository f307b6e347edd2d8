import sharp from 'sharp';
import { STAGE_NAMES } from '@imagepipeline/contracts';
import type { Image, ProcessResult, StageSpan } from '@imagepipeline/contracts';
import type { ImageOutcome, RunReport } from '../run-report';

/** Options of `sampleRunReport`. */
export interface SampleRunOptions {
  /** File names, in order; default three photos. */
  fileNames?: string[];
  /** Positions (0-based) of images that fail with `IMAGE_UNREADABLE`; default the last one. */
  failed?: number[];
  protocol?: RunReport['protocol'];
  topology?: RunReport['topology'];
  /** Include uploaded and denoised images; default true. */
  intermediates?: boolean;
  /** Epoch ms the run starts at; default a fixed time. */
  startedAtMs?: number;
}

const LABELS = ['tabby cat', 'red fox', 'lion', 'goldfinch', 'golden retriever', 'monarch butterfly', 'tiger', 'hen'];
/** Per-stage [base ms, concurrency] of the simulated orchestrator. */
const STAGE_PROFILE: Record<string, [number, number]> = {
  upload: [25, 4],
  noise_reduction: [180, 2],
  background_removal: [650, 1],
  classification: [40, 1],
};

/**
 * A synthetic but realistic RunReport with real small images made by sharp: a pipelined
 * timeline (FIFO queues, per-stage concurrency), labels and top-3, intermediates (the uploaded
 * one as JPEG, the others PNG), and failed images. Deterministic for given options.
 */
export async function sampleRunReport(options: SampleRunOptions = {}): Promise<RunReport> {
  const fileNames = options.fileNames ?? ['cat.jpg', 'fox, "red".jpeg', 'broken.png'];
  const failed = new Set(options.failed ?? [fileNames.length - 1]);
  const startedAtMs = options.startedAtMs ?? Date.UTC(2025, 10, 27, 12, 0, 0);
  const ok = fileNames.map((_, i) => i).filter((i) => !failed.has(i));
  const timelines = simulateTimelines(ok.length, startedAtMs + 20);

  const images: ImageOutcome[] = await Promise.all(
    fileNames.map(async (fileName, i): Promise<ImageOutcome> => {
      const sentAtMs = startedAtMs + 5 + i * 2;
      if (failed.has(i)) {
        const error = { code: 'IMAGE_UNREADABLE', message: 'Input buffer contains unsupported image format' };
        return { fileName, error, sentAtMs, doneAtMs: sentAtMs + 12 };
      }
      const k = ok.indexOf(i);
      const result = await sampleResult(fileName, k, timelines[k], options.intermediates ?? true);
      return { fileName, result, sentAtMs, doneAtMs: result.receivedAtMs + result.totalMs + 4 };
    }),
  );
  const finishedAtMs = Math.max(startedAtMs + 1, ...images.map((o) => o.doneAtMs)) + 3;
  return {
    protocol: options.protocol ?? 'grpc',
    topology: options.topology ?? 'local',
    orchestrator: '127.0.0.1:50030',
    startedAtMs,
    finishedAtMs,
    images,
    versions: { pipeline: '0.1.0' },
    machine: { os: 'linux 6.8.0 x64', cpus: 2, cpuModel: 'Test CPU', memoryBytes: 8 * 1024 ** 3 },
  };
}

async function sampleResult(fileName: string, k: number, timeline: StageSpan[], intermediates: boolean): Promise<ProcessResult> {
  const width = 64 + 8 * k;
  const height = 48;
  const hue = (k * 67) % 360;
  const photo = sharp(Buffer.from(scene(width, height, hue, true)));
  const processed = sharp(Buffer.from(scene(width, height, hue, false)));
  const image = (data: Buffer, format: string): Image => ({ data, format, width, height, fileName, channels: 0 });
  const label = LABELS[k % LABELS.length];
  const receivedAtMs = timeline[0].enqueuedAtMs - 1;
  return {
    fileName,
    processedImage: image(await processed.png().toBuffer(), 'png'),
    label,
    topK: [
      { label, classIndex: 281 + k, probability: 0.82 - k * 0.05 },
      { label: LABELS[(k + 3) % LABELS.length], classIndex: 100 + k, probability: 0.1 },
      { label: LABELS[(k + 5) % LABELS.length], classIndex: 200 + k, probability: 0.03 },
    ],
    timeline,
    receivedAtMs,
    totalMs: timeline[timeline.length - 1].endedAtMs - receivedAtMs + 1,
    uploadId: `upload-${k + 1}`,
    uploadedImage: intermediates ? image(await photo.clone().jpeg().toBuffer(), 'jpeg') : undefined,
    denoisedImage: intermediates ? image(await photo.clone().median(3).png().toBuffer(), 'png') : undefined,
  };
}

function scene(width: number, height: number, hue: number, withBackground: boolean): string {
  const background = withBackground ? `<rect width="${width}" height="${height}" fill="hsl(${(hue + 180) % 360},40%,70%)"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${background}<circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="hsl(${hue},70%,45%)"/></svg>`;
}

/** FIFO queues per stage with the profile's concurrency; durations vary per image. */
function simulateTimelines(count: number, firstArrivalMs: number): StageSpan[][] {
  const timelines: StageSpan[][] = Array.from({ length: count }, () => []);
  let ready = Array.from({ length: count }, (_, i) => firstArrivalMs + i * 3);
  for (const stage of STAGE_NAMES) {
    const [base, concurrency] = STAGE_PROFILE[stage];
    const slots = new Array<number>(concurrency).fill(0);
    const order = ready.map((_, i) => i).sort((a, b) => ready[a] - ready[b] || a - b);
    const ends = [...ready];
    for (const i of order) {
      const slot = slots.indexOf(Math.min(...slots));
      const startedAtMs = Math.max(ready[i], slots[slot]);
      const computeMs = Math.round(base * (0.8 + ((i * 37) % 10) / 20));
      const observedMs = computeMs + 3 + (i % 3);
      const endedAtMs = startedAtMs + observedMs;
      slots[slot] = endedAtMs;
      ends[i] = endedAtMs;
      timelines[i].push({ stage, enqueuedAtMs: ready[i], startedAtMs, endedAtMs, observedMs, computeMs });
    }
    ready = ends;
  }
  return timelines;
}
