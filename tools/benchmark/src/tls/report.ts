import type { Summary } from '@imagepipeline/reporting';
import { markdownTable as table } from '../markdown-table';
import { runRecordHeader } from '../run-record';
import { handshakeRows, keptAliveRows, type Paired } from './analysis';
import { SECURITY_LABELS, TLS_PROTOCOL_TITLES as TITLES, type TlsBenchmarkRaw } from './samples';

/** Milliseconds with about three significant digits. */
const ms = (n: number) => (Math.abs(n) < 10 ? n.toFixed(2) : Math.abs(n) < 100 ? n.toFixed(1) : n.toFixed(0));
const iqr = (s: Summary | Paired, format = ms) => `${format(s.q1)}–${format(s.q3)}`;
const times = (n: number) => `${n.toFixed(2)}×`;
const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} kB`);
const megapixels = (mp: number) => `${Number(mp.toPrecision(2))} MP`;

export function renderTlsReport(raw: TlsBenchmarkRaw): string {
  const out: string[] = [];
  out.push('# What TLS costs a hop: gRPC and REST binary, plain against TLS', '');
  out.push(
    ...runRecordHeader('benchmark:tls', raw),
    '',
    `An echo stage (\`src/echo-server.ts\`: the uploader's interface answering the image back, compute ≈ 0) per protocol and setting, each its own process on 127.0.0.1, called from this process through the product's \`GrpcStageClient\` and \`RestStageClient\` (REST binary: raw bodies over HTTP/1.1, keep-alive agent). Settings: plain; TLS (the server's certificate only); mutual TLS + token (a client certificate, and a bearer token on every call: what \`npm start -- --tls\` runs). Throwaway certificates from \`@imagepipeline/testing\`, signed by one local CA. Client and stages share the machine's ${raw.cores} cores.${raw.quick ? ' Quick mode: fewer payloads and repetitions.' : ''}`,
    '',
  );
  if (raw.negotiated.length > 0) {
    out.push(`Negotiated: ${raw.negotiated.map((n) => `${TITLES[n.protocol]} ${n.version}, ${n.cipher}, ALPN ${n.alpn}, server key ${n.serverKey}`).join('; ')}.`, '');
  }
  out.push('## Per hop on kept-alive connections', '');
  out.push(
    `Raw pixels (3 bytes a pixel, what stages hand each other) sent and answered back, on one client per protocol and setting whose connection stays open; one payload at a time, ${raw.warmups} warm-up rounds, then ${raw.repetitions} repetitions; in each, plain and mutual TLS + token one after the other, the first alternating. Time = the call as the client saw it; TLS ÷ plain within each repetition, its median and interquartile range; CPU = the calling process and the echo stage together.`,
    '',
    table(
      ['protocol', 'payload', 'plain ms, median (IQR)', 'mutual TLS + token ms, median (IQR)', 'TLS ÷ plain, median (IQR)', 'CPU ms per call, plain → TLS', 'n', 'failed'],
      keptAliveRows(raw.keptAlive).map((row) => [
        TITLES[row.protocol], `${megapixels(row.megapixels)}, ${size(row.payloadBytes)}`, `${ms(row.plain.median)} (${iqr(row.plain)})`,
        `${ms(row.secured.median)} (${iqr(row.secured)})`, `${times(row.ratio.median)} (${iqr(row.ratio, times)})`,
        `${ms(row.plainCpuMs)} → ${ms(row.securedCpuMs)}`, String(row.ratio.n), String(row.failed),
      ]),
    ),
    '',
  );
  out.push('## The handshake: a new connection per call', '');
  out.push(
    `A new client per sample, so a new TCP connection and a full handshake (no session resumption), then two calls of a 12×9 raw image: the first opens the connection, the second runs on it. ${raw.warmups} warm-up rounds, then ${raw.handshakes} repetitions; in each, the three settings of a protocol one after the other, the first rotating. Opening = first − second call of each sample; added by TLS = the first call's time minus plain's in the same repetition.`,
    '',
    table(
      ['protocol', 'setting', 'first call ms, median (IQR)', 'second call ms, median', 'opening ms, median (IQR)', 'added over plain ms, median (IQR)', 'n', 'failed'],
      handshakeRows(raw.handshake).map((row) => [
        TITLES[row.protocol], SECURITY_LABELS[row.security], `${ms(row.first.median)} (${iqr(row.first)})`, ms(row.second.median),
        `${ms(row.opening.median)} (${iqr(row.opening)})`, row.addedOverPlain ? `${ms(row.addedOverPlain.median)} (${iqr(row.addedOverPlain)})` : '—',
        String(row.first.n), String(row.failed),
      ]),
    ),
    '',
  );
  return out.join('\n');
}
