// OpenCV's `medianBlur` as a contender in the stage bench's median comparison, through a small
// Python worker (opencv-median.py) that keeps the decoded images loaded and times one pass per
// request, so Python's start-up and the pixel transfer stay out of the figures.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RawImage } from '@imagepipeline/imaging';

/** Debian's python3-opencv installs cv2 for the system Python, whatever else is on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const OPENCV_INSTALL = 'apt-get install python3-opencv';
const WORKER = fileURLToPath(new URL('./opencv-median.py', import.meta.url));

export type OpencvMedian =
  | { available: true; version: string; threads: number; filterAll(): Promise<number>; close(): Promise<void> }
  | { available: false; reason: string };

/** Starts the worker on `images` under `python`; says why not when there is no such Python or no cv2. */
export async function startOpencvMedian(images: readonly RawImage[], kernelSize: number, python = SYSTEM_PYTHON): Promise<OpencvMedian> {
  const dir = await mkdtemp(join(tmpdir(), 'opencv-median-'));
  const manifest = await Promise.all(
    images.map(async ({ data, width, height, channels }, i) => {
      const path = join(dir, `${i}.raw`);
      await writeFile(path, data);
      return { path, width, height, channels };
    }),
  );
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const child = spawn(python, [WORKER, String(kernelSize), join(dir, 'manifest.json')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: string | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('error', (error) => (spawnError = `${python}: ${error.message}`));
  const exited = new Promise((resolve) => child.once('close', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => (await lines.next()).value as string | undefined;
  const close = async () => {
    child.stdin.end();
    await exited;
    await rm(dir, { recursive: true, force: true });
  };

  const first = await nextLine();
  if (first === undefined) await exited;
  const hello = (first === undefined ? { error: spawnError ?? (stderr.trim() || 'the worker ended without a word') } : JSON.parse(first)) as
    | { opencv: string; threads: number }
    | { error: string };
  if ('error' in hello) {
    await close();
    return { available: false, reason: hello.error };
  }
  return {
    available: true,
    version: hello.opencv,
    threads: hello.threads,
    async filterAll() {
      child.stdin.write('\n');
      const line = await nextLine();
      if (line === undefined) throw new Error(`the OpenCV worker ended: ${stderr.trim()}`);
      return Number(line);
    },
    close,
  };
}
