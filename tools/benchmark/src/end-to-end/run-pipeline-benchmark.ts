// `nx run benchmark:pipeline`: the pipeline client over the same photos through both protocols'
// built services, interleaved, several times; wall time with its spread, CPU per image and process,
// and the CPU floor. Options: PIPELINE_BENCHMARK_USAGE in ./settings.ts. Writes pipeline.md and pipeline.json.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectImageFiles } from '@imagepipeline/client';
import { REPOSITORY_PHOTO_DIRS } from '@imagepipeline/topology';
import { startRunRecord, writeRunReport } from '../run-record';
import { roundOrder, type RunSample } from './analysis';
import { runClientOnce } from './client-run';
import { withBothProtocols } from './protocol-services';
import { renderPipelineReport } from './report';
import { readPipelineBenchmarkSettings } from './settings';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const settings = readPipelineBenchmarkSettings(process.argv.slice(2), { out: join(root, 'results/benchmarks') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const record = startRunRecord();
const inputs = settings.inputDirs.length > 0 ? settings.inputDirs : REPOSITORY_PHOTO_DIRS.map((dir) => join(root, dir));
const photos = (await collectImageFiles(inputs)).map((file) => basename(file));
const workDir = await mkdtemp(join(os.tmpdir(), 'pipeline-benchmark-'));

const samples: RunSample[] = [];
try {
  await withBothProtocols({ root, workDir, basePort: settings.basePort }, async (services) => {
    for (let round = 0; round <= settings.runs; round++) {
      for (const protocol of roundOrder(round)) {
        const loadAverage = os.loadavg()[0];
        const run = await runClientOnce(services[protocol], { inputs, concurrency: settings.concurrency, out: join(workDir, 'client') });
        samples.push({ ...run, round, warmup: round === 0, loadAverage });
        log(`${round === 0 ? 'warm-up' : `round ${round}`} ${protocol}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.failed} failed`);
        for (const error of run.errors) log(`  failed: ${error}`);
      }
    }
  });
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const raw = {
  ...record.finish(),
  source: (settings.inputDirs.length > 0 ? settings.inputDirs : REPOSITORY_PHOTO_DIRS.map((dir) => `${dir}/`)).map((dir) => `\`${dir}\``).join(' and '),
  photos,
  concurrency: settings.concurrency,
  runsPerProtocol: settings.runs,
  samples,
};
log(`wrote ${await writeRunReport(settings.out, 'pipeline', raw, renderPipelineReport(raw))}`);
const failed = samples.reduce((sum, sample) => sum + sample.failed, 0);
process.exitCode = failed > 0 ? 1 : 0;
