// The stage bench says plainly when OpenCV cannot run; whether it can is this machine's business,
// so both cases are made here: a Python that does not exist, and one that cannot import cv2.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpencvMedian, SYSTEM_PYTHON } from '../scripts/opencv-median';

const image = { data: new Uint8Array(4 * 4 * 3), width: 4, height: 4, channels: 3 as const };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opencv-median-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startOpencvMedian', () => {
  it('says why when there is no such Python', async () => {
    const opencv = await startOpencvMedian([image], 5, join(dir, 'no-python'));
    expect(opencv).toEqual({ available: false, reason: expect.stringContaining('ENOENT') });
  });

  it('says why when the Python cannot import cv2', async () => {
    // -S leaves out site-packages, where Debian's python3-opencv lives.
    const python = join(dir, 'python-without-site');
    await writeFile(python, `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`);
    await chmod(python, 0o755);
    const opencv = await startOpencvMedian([image], 5, python);
    expect(opencv.available).toBe(false);
    expect(opencv.available ? '' : opencv.reason).not.toBe('');
  });
});
