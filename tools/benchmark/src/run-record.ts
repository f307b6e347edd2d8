import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeMachine, measurementContext, type MeasurementContext } from '@imagepipeline/reporting';

/** When and on what a benchmark target ran: what every report's header states. */
export interface RunRecord {
  context: MeasurementContext;
  startedAt: string;
  finishedAt: string;
  loadAverageAtEnd: string;
  cores: number;
}

/** Notes the start of a run now; `finish()` completes the record at the end. */
export function startRunRecord(): { finish(): RunRecord } {
  const context = measurementContext();
  const startedAt = new Date().toISOString();
  return {
    finish: () => ({ context, startedAt, finishedAt: new Date().toISOString(), loadAverageAtEnd: measurementContext().loadAverage, cores: describeMachine().cpus }),
  };
}

/** The report's opening lines: which target, when, on what machine and under what load. */
export function runRecordHeader(target: string, record: RunRecord): string[] {
  const time = (iso: string) => `${iso.slice(11, 19)} UTC`;
  return [
    `Written by \`npx nx run ${target}\` on ${record.context.date}, ${time(record.startedAt)} to ${time(record.finishedAt)}.`,
    `Machine: ${record.context.machine}. Load average at start: ${record.context.loadAverage}; at the end: ${record.loadAverageAtEnd}.`,
    "The machine is shared: compare the figures within this report, not with another day's.",
  ];
}

/** Writes `<name>.json` (the raw record) and `<name>.md` (the report) to `out`; returns the report's path. */
export async function writeRunReport(out: string, name: string, raw: unknown, markdown: string): Promise<string> {
  await mkdir(out, { recursive: true });
  await writeFile(join(out, `${name}.json`), JSON.stringify(raw, null, 1));
  await writeFile(join(out, `${name}.md`), markdown);
  return join(out, `${name}.md`);
}
