// The stage bench's report from made-up measurements: what it states, never how fast anything is.
import { describe, expect, it } from 'vitest';
import { renderStageReport, type StageBenchResult } from '../scripts/stage-report';

const result = (opencv: StageBenchResult['median']['opencv']): StageBenchResult => ({
  context: { date: '2026-11-29', machine: '2 cores × Test CPU, 8.0 GiB, Node v20.0.0, linux', loadAverage: '1.00 / 2.00 / 3.00 (1, 5, 15 min)' },
  source: 'the repository',
  imageNames: ['a.png', 'b.jpg'],
  megapixels: 1.5,
  passes: 2,
  stageMs: { upload: [[10, 30], [20, 40]] },
  median: { kernelSize: 5, rounds: 2, reference: 'ours', times: { ours: [10, 20], sharp: [300, 400] }, opencv },
  pngEncodeMs: [50, 60, 70],
  cameraSizes: [12, 48].map((megapixels) => ({
    megapixels,
    width: megapixels * 100,
    height: 3,
    jpegBytes: megapixels * 250_000,
    rawBytes: megapixels * 3_000_000,
    pngBytes: megapixels * 4_010_000,
    steps: [
      { stage: 'upload', step: 'JPEG decode', medianMs: megapixels * 5, minMs: megapixels * 4, maxMs: megapixels * 6 },
      { stage: 'upload', step: 'stage', medianMs: megapixels * 7, minMs: megapixels * 6, maxMs: megapixels * 9 },
    ],
  })),
  segmenterLoadMs: 300,
  classifierLoadMs: 25,
  peakRssMiB: 700,
});

describe('renderStageReport', () => {
  it('states the date, the machine, the load and every spread', () => {
    const report = renderStageReport(result({ threads: 1 }));
    expect(report).toContain('on 2026-11-29');
    expect(report).toContain('2 cores × Test CPU, 8.0 GiB, Node v20.0.0');
    expect(report).toContain('Load average at start: 1.00 / 2.00 / 3.00');
    expect(report).toContain('| upload | 25.0 | 20.0–30.0 | 17.5–32.5 | 38.5 |');
    expect(report).toContain('| sharp | 350 | 300–400 | 25.0× (20.0×–30.0×) |');
    expect(report).toContain('`cv2.getNumThreads()` then answered 1');
  });

  it('shows each camera resolution side by side: steps, whole stages and bytes', () => {
    const report = renderStageReport(result({ threads: 1 }));
    expect(report).toContain('| stage | step | 12 MP (1200×3) | 48 MP (4800×3) |');
    expect(report).toContain('| upload | JPEG decode | 60.0 (48.0–72.0) | 240 (192–288) |');
    expect(report).toContain('| upload | **the whole stage** | 84.0 (72.0–108) | 336 (288–432) |');
    expect(report).toContain('| bytes | raw RGB pixels between stages | 36.0 MB | 144.0 MB |');
  });

  it('says plainly when OpenCV was not measured, and how to install it', () => {
    const report = renderStageReport(result({ missing: "No module named 'cv2'" }));
    expect(report).toContain("**OpenCV was not measured**: No module named 'cv2'. Install it with `apt-get install python3-opencv`");
  });

  it('labels the original project\'s figures as its own, with no ratio to ours', () => {
    const report = renderStageReport(result({ threads: 1 }));
    const original = report.slice(report.indexOf("## The original project's published figures (its hardware, its eight photos)"));
    expect(original).toContain('| background_removal | 1528 | 2684 |');
    expect(report).not.toMatch(/original[^\n]*÷/);
  });
});
