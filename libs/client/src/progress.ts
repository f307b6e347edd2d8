import type { Writable } from 'node:stream';
import type { StageName, StageSpan } from '@imagepipeline/contracts';
// cli-progress is CommonJS whose exports Node cannot name from ESM: take the default and destructure.
import cliProgress, { type Options, type Params } from 'cli-progress';

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

/** What the bar shows besides the counts cli-progress keeps. */
interface Payload {
  failed: number;
  last: string;
}

/**
 * One progress bar redrawn in place on a terminal: images done (failures included, so the bar
 * reaches the end) out of the total, how many failed, the rate, elapsed time, ETA and the last
 * image to finish. Stages are not shown: the plain lines have them.
 */
export function terminalProgress(out: Writable, total: number): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream: out,
      format: formatBar,
      // cli-progress then clips the line to the stream's width; its default instead turns the
      // terminal's line wrap off until stop(), and a run ended by Ctrl-C would leave it off.
      linewrap: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let failed = 0;
  bar.start(total, 0, { failed, last: '' } satisfies Payload);
  return {
    sent: () => undefined,
    stageDone: () => undefined,
    finished: (name, totalMs, label) => bar.update(++done, { last: `${name}: ${label} (${totalMs.toFixed(0)} ms)` }),
    failed: (name, message) => bar.update(++done, { failed: ++failed, last: `${name}: FAILED ${message}` }),
    close: () => bar.stop(),
  };
}

/**
 * Rate and ETA come from the whole run so far, worked out at each redraw: cli-progress has no rate,
 * and its ETA changes only when an image finishes (and reads 0 s before the first).
 */
function formatBar(options: Options, params: Params, payload: Payload): string {
  const seconds = ((params.stopTime ?? Date.now()) - params.startTime) / 1000;
  const rate = seconds > 0 ? params.value / seconds : 0;
  const eta = rate > 0 ? clock((params.total - params.value) / rate) : '--';
  return [
    `${cliProgress.Format.BarFormat(params.progress, options)} ${params.value}/${params.total} images`,
    `${payload.failed} failed`,
    `${rate.toFixed(1)} img/s`,
    `elapsed ${clock(seconds)}`,
    `ETA ${eta}`,
    payload.last,
  ]
    .filter(Boolean)
    .join(' | ');
}

/** m:ss */
function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
