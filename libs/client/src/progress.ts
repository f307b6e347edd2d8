import type { Writable } from 'node:stream';
import { STAGE_NAMES, type StageName, type StageSpan } from '@imagepipeline/contracts';

/** Live progress of a run, per image and per stage. */
export interface ProgressReporter {
  sent(name: string): void;
  stageDone(name: string, span: StageSpan): void;
  finished(name: string, totalMs: number, label: string): void;
  failed(name: string, message: string): void;
  close(): void;
}

const SHORT: Record<StageName, string> = {
  upload: 'upload',
  noise_reduction: 'noise',
  background_removal: 'background',
  classification: 'classify',
};

/** Plain lines, one per event: for logs, pipes and CI. */
export function lineProgress(out: Writable): ProgressReporter {
  const write = (line: string) => out.write(`${line}\n`);
  return {
    sent: (name) => write(`${name}: sent`),
    stageDone: (name, span) => write(`${name}: ${SHORT[span.stage as StageName] ?? span.stage} done in ${span.observedMs.toFixed(0)} ms`),
    finished: (name, totalMs, label) => write(`${name}: done in ${totalMs.toFixed(0)} ms (${label})`),
    failed: (name, message) => write(`${name}: FAILED ${message}`),
    close: () => undefined,
  };
}

type Cell = { state: 'waiting' | 'done'; ms?: number };
interface Row {
  status: string;
  stages: Record<string, Cell>;
}

/** A table redrawn in place on a terminal, one row per image, one column per stage. */
export function terminalProgress(out: Writable, names: readonly string[]): ProgressReporter {
  const rows = new Map<string, Row>(
    names.map((name) => [name, { status: 'queued', stages: Object.fromEntries(STAGE_NAMES.map((s) => [s, { state: 'waiting' }])) }]),
  );
  const width = Math.max(5, ...names.map((n) => n.length));
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;

  const draw = () => {
    timer = undefined;
    const lines = [...rows].map(([name, row]) => {
      const cells = STAGE_NAMES.map((stage) => {
        const cell = row.stages[stage];
        const text = cell.state === 'done' ? `${SHORT[stage]} ${cell.ms!.toFixed(0)}ms` : `${SHORT[stage]} …`;
        return text.padEnd(18);
      });
      return `${name.padEnd(width)}  ${cells.join('')}${row.status}`;
    });
    out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    drawn = lines.length;
  };
  const schedule = () => {
    timer ??= setTimeout(draw, 80);
  };
  const update = (name: string, change: (row: Row) => void) => {
    const row = rows.get(name);
    if (row) change(row);
    schedule();
  };
  draw();
  return {
    sent: (name) => update(name, (row) => (row.status = 'running')),
    stageDone: (name, span) => update(name, (row) => (row.stages[span.stage] = { state: 'done', ms: span.observedMs })),
    finished: (name, totalMs, label) => update(name, (row) => (row.status = `✔ ${label} (${totalMs.toFixed(0)} ms)`)),
    failed: (name, message) => update(name, (row) => (row.status = `✘ ${message}`)),
    close: () => {
      if (timer) clearTimeout(timer);
      draw();
    },
  };
}
