import { resolve } from 'node:path';
import { parseCommandLine } from '@imagepipeline/config';
import { requireBasePort, requireCounts } from '../option-checks';

export const TLS_BENCHMARK_USAGE = `usage: npx nx run benchmark:tls [--quick] [--repetitions N] [--handshakes N] [--out DIR] [--base-port N]

What TLS costs gRPC and REST binary (HTTP/1.1) on one hop. An echo stage (src/echo-server.ts, the
uploader's interface answering the image back) runs per protocol three ways: plain, TLS, and mutual
TLS with a bearer token (what \`npm start -- --tls\` runs), called through the product's
GrpcStageClient and RestStageClient on 127.0.0.1.
- Per hop on kept-alive connections: raw pixels of about 100 kB, 1 MB and 12 MP (36 MB, a camera
  photo between stages), plain and mutual TLS + token interleaved per repetition; median time,
  CPU, and TLS ÷ plain within each repetition (median and IQR).
- The handshake on its own: a new client per sample (a new connection, a full handshake) and two
  small calls on it; the first opens the connection, the second shows the call alone. Plain, TLS and
  mutual TLS + token interleaved; median, IQR, and what TLS adds within each repetition.
Writes <out>/report.md and raw.json. A full run takes about 1 min on 2 cores; a short run
(--quick: no 12 MP, fewer repetitions) about 15 s.

  --quick           a short run: 100 kB and 1 MB only, 5 repetitions, 20 handshakes
  --repetitions N   kept-alive calls per payload, protocol and setting (default 30; --quick 5)
  --handshakes N    new connections per protocol and setting (default 100; --quick 20)
  --out DIR         where the report goes (default results/benchmark-tls)
  --base-port N     echo stages on N…N+2 (gRPC) and N+10…N+12 (REST) (default 27000)
  -h, --help        this text
`;

export interface TlsBenchmarkSettings {
  quick: boolean;
  /** Raw-pixel payloads, megapixels (3 bytes a pixel). */
  megapixels: number[];
  /** Kept-alive calls per payload and variant before the measured ones, discarded. */
  warmups: number;
  repetitions: number;
  handshakes: number;
  out: string;
  basePort: number;
}

export function readTlsBenchmarkSettings(argv: string[], defaults: { out: string }): TlsBenchmarkSettings {
  const values = parseCommandLine(
    TLS_BENCHMARK_USAGE,
    {
      quick: { type: 'boolean', default: false },
      repetitions: { type: 'string' },
      handshakes: { type: 'string' },
      out: { type: 'string', default: defaults.out },
      // 27000 and up: below the ephemeral range, away from tools/e2e (221xx–222xx), tools/reliability
      // (231xx–232xx), benchmark:run (24000… in its spec, 25000–25413) and benchmark:pipeline (260xx).
      'base-port': { type: 'string', default: '27000' },
    },
    argv,
  );
  const quick = values.quick ?? false;
  const settings = {
    quick,
    megapixels: quick ? [0.033, 0.33] : [0.033, 0.33, 12],
    warmups: 3,
    repetitions: Number(values.repetitions ?? (quick ? 5 : 30)),
    handshakes: Number(values.handshakes ?? (quick ? 20 : 100)),
    out: resolve(values.out ?? defaults.out),
    basePort: Number(values['base-port']),
  };
  requireCounts(settings, ['repetitions', 'handshakes'], values);
  requireBasePort(settings.basePort, values['base-port']);
  return settings;
}
