import { describe, expect, it } from 'vitest';
import { renderTlsReport } from './report';
import type { HandshakeSample, KeptAliveSample, SecuritySetting } from './samples';

const keptAlive = (protocol: 'grpc' | 'rest', security: SecuritySetting, rep: number, ms: number): KeptAliveSample => ({
  protocol, security, payload: 'synthetic-12MP.raw', megapixels: 12, payloadBytes: 36_000_000, rep, ms, clientCpuMs: ms / 2, serverCpuMs: ms / 4,
});
const handshake = (protocol: 'grpc' | 'rest', security: SecuritySetting, rep: number, firstMs: number): HandshakeSample => ({
  protocol, security, rep, firstMs, secondMs: 1,
});

const report = renderTlsReport({
  context: { date: '2026-11-30', machine: '2 cores × Test CPU, 8.0 GiB, Node v20.0.0, linux', loadAverage: '0.50 / 1.00 / 1.50 (1, 5, 15 min)' },
  startedAt: '2026-11-30T08:00:00.000Z',
  finishedAt: '2026-11-30T08:01:30.000Z',
  loadAverageAtEnd: '1.50 / 1.00 / 1.50 (1, 5, 15 min)',
  cores: 2,
  quick: false,
  warmups: 3,
  repetitions: 2,
  handshakes: 2,
  negotiated: [{ protocol: 'grpc', version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: 'h2', serverKey: 'RSA 2048' }],
  keptAlive: [
    keptAlive('grpc', 'plain', 0, 100), keptAlive('grpc', 'mtls', 0, 120),
    keptAlive('grpc', 'mtls', 1, 160), keptAlive('grpc', 'plain', 1, 100),
    keptAlive('rest', 'plain', 0, 80), { ...keptAlive('rest', 'mtls', 0, Number.NaN), error: 'refused' },
    keptAlive('rest', 'mtls', 1, 100), keptAlive('rest', 'plain', 1, 80),
  ],
  handshake: [
    handshake('grpc', 'plain', 0, 3), handshake('grpc', 'tls', 0, 5), handshake('grpc', 'mtls', 0, 7),
    handshake('grpc', 'tls', 1, 6), handshake('grpc', 'mtls', 1, 9), handshake('grpc', 'plain', 1, 3),
  ],
});

describe('the TLS report', () => {
  it('states the date, the machine, the load and what was negotiated', () => {
    expect(report).toContain('on 2026-11-30, 08:00:00 UTC to 08:01:30 UTC');
    expect(report).toContain('Load average at start: 0.50 / 1.00 / 1.50 (1, 5, 15 min)');
    expect(report).toContain('Negotiated: gRPC TLSv1.3, TLS_AES_256_GCM_SHA384, ALPN h2, server key RSA 2048.');
  });

  it('gives each hop plain and with TLS, the ratio within a repetition with its IQR, and CPU', () => {
    expect(report).toContain('| gRPC | 12 MP, 36.0 MB | 100 (100–100) | 140 (130–150) | 1.40× (1.30×–1.50×) | 75.0 → 105 | 2 | 0 |');
  });

  it('pairs only repetitions both settings measured, and counts the failures', () => {
    expect(report).toContain('| REST binary | 12 MP, 36.0 MB | 80.0 (80.0–80.0) | 100 (100–100) | 1.25× (1.25×–1.25×) | 60.0 → 75.0 | 1 | 1 |');
  });

  it('gives the handshake of each setting: first call, opening, and what TLS adds over plain in the same repetition', () => {
    expect(report).toContain('| gRPC | plain | 3.00 (3.00–3.00) | 1.00 | 2.00 (2.00–2.00) | — | 2 | 0 |');
    expect(report).toContain('| gRPC | TLS | 5.50 (5.25–5.75) | 1.00 | 4.50 (4.25–4.75) | 2.50 (2.25–2.75) | 2 | 0 |');
    expect(report).toContain('| gRPC | mutual TLS + token | 8.00 (7.50–8.50) | 1.00 | 7.00 (6.50–7.50) | 5.00 (4.50–5.50) | 2 | 0 |');
  });
});
