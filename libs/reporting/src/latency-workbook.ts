import ExcelJS from 'exceljs';
import { TOTAL_ORCHESTRATOR, type LatencyRow } from './latency-rows';
import { LATENCY_COLUMNS } from './latency-csv';

/** Sheet names, for readers of the workbook. */
export const LATENCY_SHEET = 'Latency';
export const STAGE_MATRIX_SHEET = 'Stages x images';

const SECONDS_FORMAT = '0.000';
const MS_FORMAT = '#,##0.0';

/**
 * Builds `latency.xlsx`: sheet `Latency` has the CSV's columns with a bold frozen header, a
 * filter and number formats; sheet `Stages x images` is the original project's layout (rows:
 * stages then the orchestrator total, columns: images, values: observed ms).
 */
export async function buildLatencyWorkbook(
  rows: readonly LatencyRow[],
  images: readonly string[],
  stages: readonly string[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '@imagepipeline/reporting';
  addLatencySheet(workbook, rows);
  addStageMatrixSheet(workbook, rows, images, stages);
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

function addLatencySheet(workbook: ExcelJS.Workbook, rows: readonly LatencyRow[]): void {
  const sheet = workbook.addWorksheet(LATENCY_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const numFmt = (column: string): string | undefined =>
    column.endsWith('_s') ? SECONDS_FORMAT : column.endsWith('_ms') ? MS_FORMAT : undefined;
  sheet.columns = LATENCY_COLUMNS.map((column) => ({
    header: column,
    key: column,
    width: column === 'image' ? 28 : column === 'stage' ? 20 : 13,
    style: numFmt(column) ? { numFmt: numFmt(column) } : {},
  }));
  for (const row of rows) {
    sheet.addRow({
      image: row.image,
      stage: row.stage,
      start_s: row.startS,
      end_s: row.endS,
      observed_ms: row.observedMs,
      compute_ms: row.computeMs,
      transport_ms: row.transportMs,
      queue_ms: row.queueMs,
      status: row.status,
    });
  }
  styleHeader(sheet.getRow(1));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LATENCY_COLUMNS.length } };
}

function addStageMatrixSheet(
  workbook: ExcelJS.Workbook,
  rows: readonly LatencyRow[],
  images: readonly string[],
  stages: readonly string[],
): void {
  const sheet = workbook.addWorksheet(STAGE_MATRIX_SHEET, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  sheet.addRow(['stage', ...images]);
  for (const stage of [...stages, TOTAL_ORCHESTRATOR]) {
    const values = images.map((_image, index) => rows.find((r) => r.imageIndex === index && r.stage === stage)?.observedMs);
    sheet.addRow([stage, ...values]);
  }
  sheet.getColumn(1).width = 22;
  for (let c = 2; c <= images.length + 1; c++) {
    const column = sheet.getColumn(c);
    column.width = Math.min(40, Math.max(12, (images[c - 2]?.length ?? 0) + 2));
    column.numFmt = MS_FORMAT;
  }
  styleHeader(sheet.getRow(1));
  sheet.getColumn(1).font = { bold: true };
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF2' } };
  row.border = { bottom: { style: 'thin', color: { argb: 'FF9AA5B1' } } };
}
