import type { Summary } from '@imagepipeline/reporting';
import { summarize } from '@imagepipeline/reporting';
import { markdownTable as table, PROTOCOL_TITLES as TITLES } from '../markdown-table';
import { runRecordHeader, type RunRecord } from '../run-record';
import { ORIGINAL_LOCAL_GRPC_EIGHT_PHOTOS_S } from '../original-figures';
import { CPU_ACCOUNTS, cpuFloorSeconds, protocolFigures, restOverGrpcPerRound, totalCpuSeconds, type RunSample } from './analysis';

/** Everything a `benchmark:pipeline` run records (`pipeline.json`), and the report's input. */
export interface PipelineBenchmarkRaw extends RunRecord {
  /** Where the photos came from, and their file names. */
  source: string;
  photos: string[];
  concurrency: number;
  runsPerProtocol: number;
  samples: RunSample[];
}

const s2 = (n: number) => n.toFixed(2);
const range = (summary: Summary, format = s2) => `${format(summary.min)}–${format(summary.max)}`;

export function renderPipelineReport(raw: PipelineBenchmarkRaw): string {
  const figures = (['grpc', 'rest'] as const).map((protocol) => protocolFigures(raw.samples, protocol, raw.cores));
  const ratios = summarize(restOverGrpcPerRound(raw.samples));
  const out: string[] = [];
  out.push('# End-to-end pipeline benchmark: the pipeline client over gRPC and REST', '');
  out.push(
    ...runRecordHeader('benchmark:pipeline', raw),
    '',
    `${raw.photos.length} photos from ${raw.source} (${raw.photos.join(', ')}), sent by the pipeline client (the code of \`npm run pipeline\`: concurrency ${raw.concurrency}, top-k 5, intermediate images included) through the five built services of each protocol (\`dist/apps/*/main.mjs\`, local topology on 127.0.0.1, default settings; gRPC \`ProcessStream\`, REST \`POST /v1/jobs\` and polling). Both stacks run side by side; one warm-up run per protocol, then ${raw.runsPerProtocol} rounds of one run per protocol, the first protocol alternating from round to round.`,
    '',
  );
  out.push('## Wall time: first request to last result', '');
  out.push(
    table(
      ['protocol', 'runs', 'median s', 'min–max s', 'IQR s', 'images/s, median (min–max)', 'failed images'],
      figures.map((f) => [
        TITLES[f.protocol], String(f.runs), s2(f.wallS.median), range(f.wallS), `${s2(f.wallS.q1)}–${s2(f.wallS.q3)}`,
        `${s2(f.imagesPerSecond.median)} (${range(f.imagesPerSecond)})`, String(f.failed),
      ]),
    ),
    '',
    `REST ÷ gRPC wall time within a round: ${s2(ratios.median)} (min–max ${range(ratios)}, n=${ratios.n}).`,
    '',
  );
  out.push('## CPU seconds per image (median over the runs)', '');
  out.push(
    table(
      ['protocol', ...CPU_ACCOUNTS, 'all, median (min–max)'],
      figures.map((f) => [TITLES[f.protocol], ...CPU_ACCOUNTS.map((a) => s2(f.cpuPerImage[a])), `${s2(f.totalCpuPerImage.median)} (${range(f.totalCpuPerImage)})`]),
    ),
    '',
    'Each service\'s from `/proc/<pid>/stat` (utime + stime) before and after the run; the client\'s (this process) up to its last result, as it writes its result files after the timed window.',
    '',
  );
  out.push('## Wall time against the CPU floor', '');
  out.push(
    `CPU floor = the run's CPU seconds, every service and the client, ÷ ${raw.cores} cores: the wall time if every core did this work and nothing else all the time. Wall ÷ floor near 1 means the pipeline kept the machine busy; well above 1, it waited (on one stage, on the network, or on other work on the machine).`,
    '',
    table(
      ['protocol', 'CPU s per run, median', 'CPU floor s, median (min–max)', 'wall s, median', 'wall ÷ floor, median (min–max)'],
      figures.map((f) => [
        TITLES[f.protocol], s2(f.totalCpuS.median), `${s2(f.floorS.median)} (${range(f.floorS)})`, s2(f.wallS.median),
        `${s2(f.wallOverFloor.median)} (${range(f.wallOverFloor)})`,
      ]),
    ),
    '',
  );
  out.push('## Every run, in order', '');
  out.push('The one-minute load average counts this benchmark\'s own previous runs too: the pipeline alone keeps both cores busy.', '');
  out.push(
    table(
      ['round', 'protocol', 'wall s', 'CPU s', 'CPU floor s', 'wall ÷ floor', 'failed', 'load average (1 min) at start'],
      raw.samples.map((s) => [
        s.warmup ? 'warm-up' : String(s.round), TITLES[s.protocol], s2(s.wallMs / 1000), s2(totalCpuSeconds(s)), s2(cpuFloorSeconds(s, raw.cores)),
        s2(s.wallMs / 1000 / cpuFloorSeconds(s, raw.cores)), String(s.failed), s2(s.loadAverage),
      ]),
    ),
    '',
  );
  out.push("## The original project's figure (its hardware, its eight photos)", '');
  out.push(
    `The original's published local gRPC timeline ends about ${ORIGINAL_LOCAL_GRPC_EIGHT_PHOTOS_S} s after its first photo was sent: its eight seed photos (not in this repository), on its hardware. Not measured here, so no ratio to the figures above.`,
    '',
  );
  return out.join('\n');
}
