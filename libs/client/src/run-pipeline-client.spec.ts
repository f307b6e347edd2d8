import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError, PipelineErrorCode, type Image, type ProcessResult } from '@imagepipeline/contracts';
import { sampleRunReport } from '@imagepipeline/reporting/testing';
import { parseClientOptions } from './cli-options';
import type { OrchestratorClient, ProcessOptions } from './orchestrator-client';
import { runPipelineClient } from './run-pipeline-client';

/** An in-memory orchestrator: answers with canned results, refuses files whose bytes say "bad". */
class CannedOrchestrator implements OrchestratorClient {
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly result: ProcessResult) {}

  async process(image: Image, options: ProcessOptions): Promise<ProcessResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    if (image.data.toString() === 'bad') throw new PipelineError(PipelineErrorCode.IMAGE_UNREADABLE, 'not an image');
    for (const span of this.result.timeline) options.onStageDone?.(span);
    return { ...this.result, fileName: image.fileName };
  }

  async close() {}
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-spec-'));
  await writeFile(join(dir, 'a.png'), 'good');
  await writeFile(join(dir, 'b.jpg'), 'good');
  await writeFile(join(dir, 'c.png'), 'bad');
  await writeFile(join(dir, 'notes.txt'), 'ignored: not an image extension');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('runPipelineClient', () => {
  it('sends every image, reports the failed one, writes results and exits 1', async () => {
    const sample = await sampleRunReport({ failed: [] });
    const canned = (sample.images[0] as { result: ProcessResult }).result;
    const orchestrator = new CannedOrchestrator(canned);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let printed = '';
    let progress = '';
    stdout.on('data', (chunk) => (printed += chunk));
    stderr.on('data', (chunk) => (progress += chunk));
    const options = parseClientOptions(['--input', join(dir), '--out', join(dir, 'out'), '--concurrency', '2']);

    const outcome = await runPipelineClient(options, orchestrator, { stdout, stderr });

    expect(outcome.exitCode).toBe(1);
    expect(outcome.resultsDir).toBe(join(dir, 'out/local/grpc'));
    expect(orchestrator.maxInFlight).toBeLessThanOrEqual(2);
    expect(outcome.report.images.map((i) => i.fileName)).toEqual(['a.png', 'b.jpg', 'c.png']);
    expect(progress).toContain('a.png: noise done in');
    expect(progress).toContain('failed: c.png: IMAGE_UNREADABLE: not an image');
    expect(printed).toContain(canned.label);
    expect(printed).toContain(`Results: ${outcome.resultsDir}`);
    expect((await readdir(join(outcome.resultsDir, 'processed'))).sort()).toEqual(['a.png', 'b.png']);
    const summary = JSON.parse(await readFile(join(outcome.resultsDir, 'summary.json'), 'utf8'));
    expect(summary.protocol).toBe('grpc');
  });
});
