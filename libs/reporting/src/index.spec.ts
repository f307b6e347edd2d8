import { describe, expect, it } from 'vitest';
import * as reporting from './index';

describe('@imagepipeline/reporting public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(reporting).sort()).toEqual([
      'LATENCY_COLUMNS',
      'LATENCY_SHEET',
      'RESULT_FILES',
      'STAGE_MATRIX_SHEET',
      'SUMMARY_SCHEMA_VERSION',
      'TOTAL_CLIENT',
      'TOTAL_ORCHESTRATOR',
      'buildLatencyRows',
      'describeMachine',
      'escapeXml',
      'formatLatencyCsv',
      'formatSummaryTable',
      'isImageFailure',
      'measurementContext',
      'quantile',
      'renderSvgToPng',
      'renderTimelineSvg',
      'safeFileStem',
      'seriesColour',
      'stageTitle',
      'summarize',
      'writeRunResults',
    ]);
  });

  it('describes this machine', () => {
    const machine = reporting.describeMachine();
    expect(machine.cpus).toBeGreaterThan(0);
    expect(machine.memoryBytes).toBeGreaterThan(0);
    expect(machine.os).toContain(process.platform);
  });
});
