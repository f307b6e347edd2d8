// `nx run benchmark:tls`: what TLS costs gRPC and REST binary on one hop: kept-alive calls plain
// against mutual TLS + token, and the handshake of a new connection plain, TLS and mutual TLS.
// Options: TLS_BENCHMARK_USAGE in ./settings.ts. Writes report.md and raw.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawPixelsPayload } from '../payloads';
import { startRunRecord } from '../run-record';
import { negotiatedTls, startSecuredEchoStages, stopEchoStages } from './echo-stages';
import { measureHandshakes, measureKeptAlive } from './measure-tls';
import { renderTlsReport } from './report';
import type { TlsBenchmarkRaw } from './samples';
import { readTlsBenchmarkSettings } from './settings';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const settings = readTlsBenchmarkSettings(process.argv.slice(2), { out: join(root, 'results/benchmark-tls') });
const log = (line: string) => process.stderr.write(`${line}\n`);
const record = startRunRecord();
const payloads = settings.megapixels.map(rawPixelsPayload);
const workDir = await mkdtemp(join(os.tmpdir(), 'tls-benchmark-'));

let measured: Pick<TlsBenchmarkRaw, 'negotiated' | 'keptAlive' | 'handshake'>;
try {
  const echoes = await startSecuredEchoStages({ root, workDir, basePort: settings.basePort });
  try {
    const plan = { echoes, warmups: settings.warmups, log };
    const negotiated = await Promise.all(echoes.filter((echo) => echo.security === 'tls').map(negotiatedTls));
    log('per hop on kept-alive connections');
    const keptAlive = await measureKeptAlive(plan, payloads, settings.repetitions);
    log('handshakes');
    const handshake = await measureHandshakes(plan, settings.handshakes);
    measured = { negotiated, keptAlive, handshake };
  } finally {
    await stopEchoStages(echoes);
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const raw: TlsBenchmarkRaw = {
  ...record.finish(),
  quick: settings.quick,
  warmups: settings.warmups,
  repetitions: settings.repetitions,
  handshakes: settings.handshakes,
  ...measured,
};
await mkdir(settings.out, { recursive: true });
await writeFile(join(settings.out, 'raw.json'), JSON.stringify(raw, null, 1));
await writeFile(join(settings.out, 'report.md'), renderTlsReport(raw));
log(`wrote ${join(settings.out, 'report.md')}`);
process.exitCode = [...raw.keptAlive, ...raw.handshake].some((sample) => sample.error) ? 1 : 0;
