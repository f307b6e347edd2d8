import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citedReports, figuresIn, missingFigures, sectionOf, unfoundFigures } from './measured-figures';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const measured = sectionOf(readFileSync(join(repoRoot, 'README.md'), 'utf8'), 'Measured');

describe("the README's Measured section", () => {
  const cited = citedReports(measured);

  it('cites kept example reports that exist', () => {
    expect(cited.length).toBeGreaterThan(0);
    for (const path of cited) expect(existsSync(join(repoRoot, path)), path).toBe(true);
  });

  it('states only figures found in the reports it cites, each subsection in its own', () => {
    expect(unfoundFigures(measured, (path) => readFileSync(join(repoRoot, path), 'utf8'))).toEqual([]);
  });
});

describe('the figure check', () => {
  const report = '| upload | 23.5 | 20.1–27.0 |\nWritten on 2026-11-29; the original: 1528 ms.';

  it('fails on a figure the report does not hold', () => {
    const section = '\n## Measured\n\nUpload takes 23.5 ms (20.1–27.0), background removal 156 ms, on 2026-11-29.\n';
    expect(missingFigures(section, [report])).toEqual(['156']);
  });

  it('fails on a figure rounded differently or from another day', () => {
    expect(missingFigures('Upload takes 23 ms, measured on 2026-11-28.', [report])).toEqual(['23', '2026-11-28']);
  });

  it('reads thousands separators, and leaves out names, code spans and link targets', () => {
    expect(figuresIn('The original: 1,528 ms with ResNet-50, U2-Net and int8 over HTTP/1.1; `--passes 1`; [a report](results/examples/x2.md); 0.93 (0.85–1.03).')).toEqual([
      '1528', '0.93', '0.85', '1.03',
    ]);
  });

  it('looks for a subsection\'s figures in the reports that subsection cites', () => {
    const reports: Record<string, string> = { 'results/examples/a.md': 'stage: 14.1 ms', 'results/examples/b.md': 'wall: 2.19 s' };
    const section = [
      '\n## Measured\n\nIntro: 14.1 and 2.19.\n',
      '### Stages\n\n[a](results/examples/a.md): 14.1 ms, and 2.19 s.\n',
      '### End to end\n\n[b](results/examples/b.md): 2.19 s.\n',
    ].join('\n');
    expect(unfoundFigures(section, (path) => reports[path])).toEqual(['2.19 (Stages)']);
  });

  it('finds the reports a section cites', () => {
    expect(citedReports('see [it](results/examples/stages.md) and results/examples/benchmark/report.md, and results/examples/stages.md')).toEqual([
      'results/examples/stages.md',
      'results/examples/benchmark/report.md',
    ]);
  });
});
