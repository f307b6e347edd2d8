// `tsx src/render-report.ts [--out dir]`: renders report.md and the charts again from raw.json, without measuring.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCharts } from './charts';
import type { MachineDescription } from './machine';
import { renderReport } from './report';
import type { BenchmarkRaw } from './samples';
import type { BenchmarkSettings } from './settings';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'results/benchmark') } } });
const out = values.out ?? join(root, 'results/benchmark');
const raw = JSON.parse(await readFile(join(out, 'raw.json'), 'utf8')) as BenchmarkRaw;
await writeCharts(raw, out);
await writeFile(join(out, 'report.md'), renderReport(raw, raw.settings as BenchmarkSettings, raw.machine as MachineDescription));
process.stderr.write(`rewrote ${join(out, 'report.md')} and the charts\n`);
