/**
 * Result files of a pipeline run: processed and intermediate images, a Gantt timeline chart
 * (SVG and PNG), latency logs (CSV and XLSX), `summary.json`, and a terminal summary table.
 */
export {
  isImageFailure,
  type ImageError,
  type ImageFailure,
  type ImageOutcome,
  type ImageSuccess,
  type MachineInfo,
  type RunProtocol,
  type RunReport,
  type RunTopology,
} from './run-report';
export { writeRunResults, RESULT_FILES, type RunResultFiles } from './write-run-results';
export { formatSummaryTable } from './summary-table';
export { renderTimelineSvg, type TimelineChart } from './timeline/timeline-svg';
export { describeMachine } from './machine-info';
export { measurementContext, type MeasurementContext } from './measurement-context';
export { safeFileStem } from './output-names';
export { formatLatencyCsv, LATENCY_COLUMNS } from './latency-csv';
export { buildLatencyRows, TOTAL_CLIENT, TOTAL_ORCHESTRATOR, type LatencyRow } from './latency-rows';
export { stageTitle } from './stage-order';
export { LATENCY_SHEET, STAGE_MATRIX_SHEET } from './latency-workbook';
export {
  SUMMARY_SCHEMA_VERSION,
  type ImageSummary,
  type RunSummary,
  type StageSummary,
} from './run-summary';
export { quantile, summarize, type Summary } from './stats';
export { renderSvgToPng } from './timeline/timeline-png';
export { escapeXml } from './timeline/svg-text';
export { seriesColour } from './timeline/palette';
