import { describe, expect, it } from 'vitest';
import { sampleRunReport } from './testing';
import { formatSummaryTable } from './summary-table';
import type { ImageSuccess } from './run-report';

describe('formatSummaryTable', () => {
  it('shows one aligned line per image with label, probability, stage ms, totals and status', async () => {
    const report = await sampleRunReport();
    const lines = formatSummaryTable(report).trimEnd().split('\n');
    expect(lines[0]).toBe('gRPC, local — orchestrator 127.0.0.1:50030');
    const header = lines[1];
    for (const title of ['image', 'label', 'prob', 'upload ms', 'noise ms', 'background ms', 'classify ms', 'total ms', 'status']) {
      expect(header).toContain(title);
    }
    expect(lines[2]).toMatch(/^-+( {2}-+)+$/);

    const [cat, fox, broken] = lines.slice(3, 6);
    expect(cat).toMatch(/^cat\.jpg +tabby cat +82\.0% /);
    expect(fox).toContain('red fox');
    expect(broken).toContain('FAILED IMAGE_UNREADABLE: Input buffer contains unsupported image format');
    const catResult = (report.images[0] as ImageSuccess).result;
    expect(cat).toContain(catResult.timeline[2].observedMs.toFixed(1));
    expect(cat).toContain(catResult.totalMs.toFixed(1));

    // Right-aligned numbers end in the same column as their header.
    const end = header.indexOf('background ms') + 'background ms'.length;
    expect(cat.slice(end - 5, end)).toMatch(/\d\.\d$/);
    expect(fox.slice(end - 5, end)).toMatch(/\d\.\d$/);
    expect(lines[6]).toMatch(/^3 images: 2 ok, 1 failed; wall [\d.]+ s, [\d.]+ images\/s$/);
  });

  it('keeps each row on one line and cuts long names', async () => {
    const report = await sampleRunReport({ fileNames: [`${'x'.repeat(60)}.jpg`, 'multi\nline.png'], failed: [1] });
    const lines = formatSummaryTable(report).trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toMatch(/^x{31}… /);
    expect(lines[4]).toMatch(/^multi line\.png /);
  });
});
