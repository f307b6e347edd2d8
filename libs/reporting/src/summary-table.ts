import { formatMs, formatSeconds, imagesPerSecond, protocolTitle, wallSeconds } from './format';
import { isImageFailure, type ImageOutcome, type RunReport } from './run-report';
import { topProbability } from './run-summary';
import { renderTextTable, type TextColumn } from './text-table';

const STAGE_COLUMNS: ReadonlyArray<[string, string]> = [
  ['upload', 'upload ms'],
  ['noise_reduction', 'noise ms'],
  ['background_removal', 'background ms'],
  ['classification', 'classify ms'],
];

const COLUMNS: TextColumn[] = [
  { title: 'image', align: 'left', maxWidth: 32 },
  { title: 'label', align: 'left', maxWidth: 28 },
  { title: 'prob', align: 'right' },
  ...STAGE_COLUMNS.map(([, title]): TextColumn => ({ title, align: 'right' })),
  { title: 'orchestrator ms', align: 'right' },
  { title: 'total ms', align: 'right' },
  { title: 'status', align: 'left', maxWidth: 80 },
];

/**
 * A plain-text table of the run for a terminal: one line per image with its label, top-1
 * probability, each stage's observed ms, the orchestrator's and the client's total ms, and
 * `ok` or the error; a title line above and a totals line below. Columns are aligned.
 */
export function formatSummaryTable(report: RunReport): string {
  const failed = report.images.filter(isImageFailure).length;
  const title = `${protocolTitle(report.protocol)}, ${report.topology} — orchestrator ${report.orchestrator}`;
  const footer =
    `${report.images.length} images: ${report.images.length - failed} ok, ${failed} failed; ` +
    `wall ${formatSeconds(wallSeconds(report))}, ${imagesPerSecond(report).toFixed(2)} images/s`;
  return `${title}\n${renderTextTable(COLUMNS, report.images.map(tableRow))}\n${footer}\n`;
}

function tableRow(outcome: ImageOutcome): string[] {
  const totalMs = formatMs(outcome.doneAtMs - outcome.sentAtMs);
  if (isImageFailure(outcome)) {
    const status = `FAILED ${outcome.error.code}: ${outcome.error.message}`;
    return [outcome.fileName, '—', '—', ...STAGE_COLUMNS.map(() => '—'), '—', totalMs, status];
  }
  const { result } = outcome;
  const probability = topProbability(result.label, result.topK);
  const stageMs = STAGE_COLUMNS.map(([stage]) =>
    formatMs(result.timeline.find((span) => span.stage === stage)?.observedMs),
  );
  return [
    outcome.fileName,
    result.label || '—',
    probability === undefined ? '—' : `${(probability * 100).toFixed(1)}%`,
    ...stageMs,
    formatMs(result.totalMs),
    totalMs,
    'ok',
  ];
}
