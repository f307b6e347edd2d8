import { markdownTable as table, PROTOCOL_TITLES as TITLES } from '../markdown-table';
import { runRecordHeader, type RunRecord } from '../run-record';
import { replicaFigures, throughputGain, type ReplicaRunSample } from './analysis';

/** Everything a `benchmark:replicas` run records (`replicas.json`), and the report's input. */
export interface ReplicasBenchmarkRaw extends RunRecord {
  photos: string[];
  concurrency: number;
  runs: number;
  /** Replica counts compared, fewest first. */
  replicaCounts: number[];
  samples: ReplicaRunSample[];
}

const s2 = (n: number) => n.toFixed(2);

export function renderReplicasReport(raw: ReplicasBenchmarkRaw): string {
  const [fewest, most] = [raw.replicaCounts[0], raw.replicaCounts[raw.replicaCounts.length - 1]];
  const figures = (['grpc', 'rest'] as const).flatMap((protocol) => raw.replicaCounts.map((replicas) => replicaFigures(raw.samples, protocol, replicas)));
  const out: string[] = [];
  out.push(`# Background-remover replicas: ${raw.replicaCounts.join(' against ')}, distributed topology`, '');
  out.push(
    ...runRecordHeader('benchmark:replicas', raw),
    '',
    `Each service in its own network namespace with its own IP (\`@imagepipeline/topology\`), every background-remover replica on a host of its own; the orchestrator's \`BACKGROUND_ADDR\` lists them and \`ORCH_BACKGROUND_REMOVER_CONCURRENCY\` equals the replica count. Every service runs with \`ORT_INTRA_OP_THREADS=1\`, so a replica's inference uses one core. ${raw.photos.length} images (the repository's photos repeated: ${[...new Set(raw.photos.map((p) => p.replace(/^\d+-/, '')))].join(', ')}) sent by the pipeline client at concurrency ${raw.concurrency}; per protocol and replica count, services started afresh, one warm-up run, then ${raw.runs} measured runs. Throughput = images ÷ wall time from the first request to the last result.`,
    '',
  );
  out.push('## Throughput', '');
  out.push(
    table(
      ['protocol', 'replicas', 'runs', 'images/s, median', 'min–max', 'failed images', 'CPU s per replica per run, median'],
      figures.map((f) => [
        TITLES[f.protocol], String(f.replicas), String(f.runs), s2(f.imagesPerSecond.median), `${s2(f.imagesPerSecond.min)}–${s2(f.imagesPerSecond.max)}`,
        String(f.failed), f.replicaCpuSeconds.map(s2).join(' / '),
      ]),
    ),
    '',
  );
  out.push(`## Gain of ${most} replicas over ${fewest}`, '');
  out.push(
    table(
      ['protocol', 'gain, median ÷ median', 'range the runs allow (min ÷ max – max ÷ min)', 'ideal'],
      (['grpc', 'rest'] as const).map((protocol) => {
        const gain = throughputGain(replicaFigures(raw.samples, protocol, fewest), replicaFigures(raw.samples, protocol, most));
        return [TITLES[protocol], `${s2(gain.median)}×`, `${s2(gain.min)}×–${s2(gain.max)}×`, `${s2(most / fewest)}×`];
      }),
    ),
    '',
    `The ideal assumes the background remover is the only work and every replica has a core to itself. Here the machine's ${raw.cores} cores are shared by the replicas, the other stages, the orchestrator and the client, so the gain is bounded by the cores the rest of the pipeline leaves free; each replica's CPU seconds show both did work.`,
    '',
  );
  out.push('## Every run, in order', '');
  out.push(
    table(
      ['protocol', 'replicas', 'run', 'wall s', 'images/s', 'failed', 'CPU s per replica'],
      raw.samples.map((s) => [
        TITLES[s.protocol], String(s.replicas), s.run === 0 ? 'warm-up' : String(s.run), s2(s.wallMs / 1000), s2((s.images - s.failed) / (s.wallMs / 1000)),
        String(s.failed), s.replicaCpuSeconds.map(s2).join(' / '),
      ]),
    ),
    '',
  );
  return out.join('\n');
}
