import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CaseResult } from './case-result';
import type { BurstStats, LoadStats } from './load';
import type { PhotoBurstStats } from './memory-budget';

export interface ReliabilityReport {
  startedAt: string;
  settings: string[];
  cases: CaseResult[];
  load: { protocol: string; stats: LoadStats }[];
  bursts: { protocol: string; target: string; stats: BurstStats }[];
  /** Camera photos beyond the memory budget (the full run's default-limits suite). */
  photoBursts: { protocol: string; stats: PhotoBurstStats }[];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown: settings, a summary, load and RSS numbers, then every case. */
export function renderReport(report: ReliabilityReport): string {
  const failed = report.cases.filter((c) => !c.pass);
  const lines = [
    '# Reliability report',
    '',
    `Started ${report.startedAt}. ${report.cases.length} cases, ${report.cases.length - failed.length} passed, ${failed.length} failed.`,
    '',
    ...report.settings.map((s) => `- ${s}`),
    '',
    '## Load',
    '',
    '| protocol | images | concurrency | ok | errors | lost | img/s | p50 ms | p95 ms | wall s |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...report.load.map(({ protocol, stats: s }) =>
      `| ${protocol} | ${s.images} | ${s.concurrency} | ${s.ok} | ${cell(JSON.stringify(s.errors))} | ${s.lost} | ${s.imagesPerSecond} | ${s.p50Ms} | ${s.p95Ms} | ${(s.wallMs / 1000).toFixed(1)} |`,
    ),
    '',
    '### RSS per service (MiB, VmRSS): before (after warm-up), peak during the load, after the settle period',
    '',
    '| protocol | service | before | peak | after | settle s |',
    '|---|---|---|---|---|---|',
    ...report.load.flatMap(({ protocol, stats: s }) =>
      Object.entries(s.rssMiB).map(([name, r]) => `| ${protocol} | ${name} | ${r.before} | ${r.peak} | ${r.after} | ${s.settleMs / 1000} |`),
    ),
    '',
    '## Backpressure bursts',
    '',
    '| protocol | target | sent | refused | refusal p50 / p95 / max ms | ok | other errors | lost | RSS before → after MiB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...report.bursts.map(({ protocol, target, stats: b }) =>
      `| ${protocol} | ${target} | ${b.sent} | ${b.refused} | ${b.refusalMs.p50} / ${b.refusalMs.p95} / ${b.refusalMs.max} | ${b.ok} | ${cell(JSON.stringify(b.otherErrors))} | ${b.lost} | ${b.rssMiB.before} → ${b.rssMiB.after} |`,
    ),
    '',
    ...photoBurstSection(report.photoBursts),
    '## Cases',
    '',
    '| | group | protocol | case | target | expected | actual |',
    '|---|---|---|---|---|---|---|',
    ...report.cases.map((c) => `| ${c.pass ? 'pass' : '**FAIL**'} | ${c.group} | ${c.protocol} | ${cell(c.id)} | ${cell(c.target)} | ${cell(c.expected)} | ${cell(c.actual)} |`),
    '',
  ];
  return lines.join('\n');
}

function photoBurstSection(bursts: ReliabilityReport['photoBursts']): string[] {
  if (bursts.length === 0) return [];
  const peaks = (s: PhotoBurstStats) => Object.entries(s.rssMiB).filter(([name]) => name !== 'orchestrator').map(([name, r]) => `${name} ${r.peak}`).join(', ');
  return [
    '## Camera photos beyond the memory budget (default limits)',
    '',
    '| protocol | route | photos × MP (JPEG MiB) | the budget holds | processed | refused | other errors | lost | wall s | orchestrator RSS at rest / before / peak ≤ bound, MiB | other services\' peak RSS, MiB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...bursts.map(({ protocol, stats: s }) => {
      const o = s.rssMiB.orchestrator;
      return `| ${protocol} | ${s.route} | ${s.sent} × ${s.megapixels} (${s.jpegMiB}) | ${s.admittedAtOnce} | ${s.ok} | ${s.refused} | ${cell(JSON.stringify(s.otherErrors))} | ${s.lost} | ${(s.wallMs / 1000).toFixed(1)} | ${s.orchestratorRestMiB} / ${o.before} / ${o.peak} ≤ ${s.orchestratorBoundMiB} | ${peaks(s)} |`;
    }),
    '',
  ];
}

export async function writeReport(path: string, report: ReliabilityReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderReport(report));
}
