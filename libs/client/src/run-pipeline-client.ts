import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { formatSummaryTable, isImageFailure, writeRunResults, type ImageOutcome, type RunReport } from '@imagepipeline/reporting';
import type { ClientOptions } from './cli-options';
import { collectImageFiles } from './collect-images';
import { finishRunReport, sendImage } from './image-outcome';
import type { OrchestratorClient } from './orchestrator-client';
import { lineProgress, terminalProgress, type ProgressReporter } from './progress';

export interface ClientIo {
  /** Summary table or JSON. */
  stdout: Writable;
  /** Progress and messages. */
  stderr: Writable & { isTTY?: boolean };
}

export interface ClientRunOutcome {
  report: RunReport;
  resultsDir: string;
  /** 0 when every image succeeded, 1 otherwise. */
  exitCode: number;
}

/**
 * Sends every input image through the orchestrator (at most `concurrency` in flight), shows
 * progress, writes the results to `<out>/<topology>/<protocol>/` and prints the summary.
 */
export async function runPipelineClient(
  options: ClientOptions,
  client: OrchestratorClient,
  io: ClientIo,
  versions: Record<string, string> = {},
): Promise<ClientRunOutcome> {
  const files = await collectImageFiles(options.inputs);
  const progress: ProgressReporter =
    io.stderr.isTTY && !options.json ? terminalProgress(io.stderr, files.length) : lineProgress(io.stderr);

  const startedAtMs = Date.now();
  const outcomes: ImageOutcome[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      outcomes[index] = await sendOne(files[index], client, options, progress);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));
  progress.close();

  const report = finishRunReport({
    protocol: options.protocol,
    topology: options.topology,
    orchestrator: options.orchestrator,
    startedAtMs,
    images: outcomes,
    versions,
  });
  const { dir } = await writeRunResults(report, resolve(join(options.out, options.topology, options.protocol)));
  if (options.json) {
    io.stdout.write(`${await readFile(join(dir, 'summary.json'), 'utf8')}\n`);
  } else {
    io.stdout.write(`\n${formatSummaryTable(report)}\n\nResults: ${dir}\n`);
  }
  const failed = outcomes.filter(isImageFailure);
  for (const failure of failed) io.stderr.write(`failed: ${failure.fileName}: ${failure.error.code}: ${failure.error.message}\n`);
  return { report, resultsDir: dir, exitCode: failed.length > 0 ? 1 : 0 };
}

async function sendOne(
  file: string,
  client: OrchestratorClient,
  options: ClientOptions,
  progress: ProgressReporter,
): Promise<ImageOutcome> {
  const fileName = basename(file);
  const outcome = await sendImage(client, fileName, () => readFile(file), {
    topK: options.topK,
    includeIntermediates: true,
    onSent: () => progress.sent(fileName),
    onStageDone: (span) => progress.stageDone(fileName, span),
  });
  if (isImageFailure(outcome)) progress.failed(fileName, `${outcome.error.code}: ${outcome.error.message}`);
  else progress.finished(fileName, outcome.doneAtMs - outcome.sentAtMs, outcome.result.label);
  return outcome;
}
