/** Test helpers for code that writes or reads run results. */
export { sampleRunReport, type SampleRunOptions } from './sample-run-report';
export { parseCsv } from './csv-parse';
