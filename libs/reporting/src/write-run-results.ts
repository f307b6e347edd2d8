import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceDirectoryAtomically } from './atomic-directory';
import { formatLatencyCsv } from './latency-csv';
import { allSpans, buildLatencyRows } from './latency-rows';
import { buildLatencyWorkbook } from './latency-workbook';
import { assignOutputStems } from './output-names';
import { writeResultImages } from './result-images';
import { isImageFailure, type RunReport } from './run-report';
import { buildRunSummary } from './run-summary';
import { stagesInOrder } from './stage-order';
import { renderSvgToPng } from './timeline/timeline-png';
import { renderTimelineSvg } from './timeline/timeline-svg';
import { assertValidRunReport } from './validate-run-report';

/** What `writeRunResults` wrote. */
export interface RunResultFiles {
  /** The results folder, absolute. */
  dir: string;
  /** Every file written, relative to `dir`, with `/` separators, sorted. */
  files: string[];
}

/** Files at the top of a results folder. */
export const RESULT_FILES = {
  timelinePng: 'timeline.png',
  timelineSvg: 'timeline.svg',
  latencyCsv: 'latency.csv',
  latencyXlsx: 'latency.xlsx',
  summary: 'summary.json',
} as const;

/** Images are re-encoded with sharp, which already uses the cores: two at a time is enough. */
const IMAGE_CONCURRENCY = 2;

/**
 * Writes the results of a run into `outDir` (for example `results/local/grpc`), replacing what
 * was there atomically: `processed/<name>.png`, `pipeline_timeline/<name>/0N-*.png`,
 * `timeline.png` + `timeline.svg`, `latency.csv` + `latency.xlsx` and `summary.json`, where
 * `<name>` is the image's file name without extension, made safe and unique. The report is
 * checked first; an invalid one throws a `PipelineError` (`INVALID_ARGUMENT`) and writes nothing.
 */
export async function writeRunResults(report: RunReport, outDir: string): Promise<RunResultFiles> {
  assertValidRunReport(report);
  const dir = path.resolve(outDir);
  const files = await replaceDirectoryAtomically(dir, (tempDir) => writeInto(report, tempDir));
  return { dir, files };
}

async function writeInto(report: RunReport, root: string): Promise<string[]> {
  const stems = assignOutputStems(report.images.map((outcome) => outcome.fileName));
  const imageFiles = await mapLimited(report.images, IMAGE_CONCURRENCY, (outcome, i) =>
    isImageFailure(outcome) ? Promise.resolve([]) : writeResultImages(outcome, stems[i], root),
  );

  const chart = renderTimelineSvg(report);
  const rows = buildLatencyRows(report);
  const stages = stagesInOrder(allSpans(report));
  const workbook = await buildLatencyWorkbook(
    rows,
    report.images.map((outcome) => outcome.fileName),
    stages,
  );
  const topFiles: Array<[string, string | Uint8Array]> = [
    [RESULT_FILES.timelineSvg, chart.svg],
    [RESULT_FILES.timelinePng, await renderSvgToPng(chart.svg)],
    [RESULT_FILES.latencyCsv, formatLatencyCsv(rows)],
    [RESULT_FILES.latencyXlsx, workbook],
  ];
  for (const [name, content] of topFiles) await writeFile(path.join(root, name), content);

  const files = [...imageFiles.flat(), ...topFiles.map(([name]) => name), RESULT_FILES.summary].sort();
  const summary = buildRunSummary(report, imageFiles, files);
  await writeFile(path.join(root, RESULT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  return files;
}

/**
 * Like `Promise.all(items.map(fn))` with at most `limit` calls at once, except that on a failure
 * it lets the running calls finish (and starts no more) before rejecting, so nothing is still
 * writing into the folder when the caller removes it.
 */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejection = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejection) throw rejection.reason;
  return results;
}
