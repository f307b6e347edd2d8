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
