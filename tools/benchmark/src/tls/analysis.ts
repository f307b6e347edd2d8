import type { Protocol } from '@imagepipeline/config';
import { quantile, summarize, type Summary } from '@imagepipeline/reporting';
import { unique } from '../analysis';
import { KEPT_ALIVE_SETTINGS, type HandshakeSample, type KeptAliveSample, type SecuritySetting } from './samples';

/** Median and interquartile range of values paired within a repetition. */
export interface Paired {
  n: number;
  median: number;
  q1: number;
  q3: number;
}

function pairedSummary(values: readonly number[]): Paired {
  return { n: values.length, median: quantile(values, 0.5), q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}

/** `combine(a, b)` of every repetition both `of` and `base` measured (without error). */
function pairedWithin<T extends { rep: number; error?: string }>(of: readonly T[], base: readonly T[], combine: (a: T, b: T) => number): number[] {
  const values: number[] = [];
  for (const sample of of.filter((s) => !s.error)) {
    const paired = base.find((b) => b.rep === sample.rep && !b.error);
    if (paired) values.push(combine(sample, paired));
  }
  return values;
}

const ok = <T extends { error?: string }>(samples: readonly T[]) => samples.filter((s) => !s.error);

/** One protocol and payload on kept-alive connections: plain against mutual TLS + token ({@link KEPT_ALIVE_SETTINGS}). */
export interface KeptAliveRow {
  protocol: Protocol;
  payload: string;
  megapixels: number;
  payloadBytes: number;
  plain: Summary;
  secured: Summary;
  /** Secured ÷ plain within each repetition. */
  ratio: Paired;
  /** Median CPU ms per call, calling process and echo stage together. */
  plainCpuMs: number;
  securedCpuMs: number;
  failed: number;
}

const cpuMs = (samples: readonly KeptAliveSample[]) => quantile(samples.map((s) => s.clientCpuMs + s.serverCpuMs), 0.5);

export function keptAliveRows(samples: readonly KeptAliveSample[]): KeptAliveRow[] {
  const [base, secured] = KEPT_ALIVE_SETTINGS;
  return unique(samples.map((s) => s.protocol)).flatMap((protocol) =>
    unique(samples.map((s) => s.payload)).flatMap((payload) => {
      const group = samples.filter((s) => s.protocol === protocol && s.payload === payload);
      const plain = group.filter((s) => s.security === base);
      const tls = group.filter((s) => s.security === secured);
      if (plain.length === 0 || tls.length === 0) return [];
      return [{
        protocol, payload, megapixels: group[0].megapixels, payloadBytes: group[0].payloadBytes,
        plain: summarize(ok(plain).map((s) => s.ms)), secured: summarize(ok(tls).map((s) => s.ms)),
        ratio: pairedSummary(pairedWithin(tls, plain, (a, b) => a.ms / b.ms)),
        plainCpuMs: cpuMs(ok(plain)), securedCpuMs: cpuMs(ok(tls)),
        failed: group.filter((s) => s.error).length,
      }];
    }),
  );
}

/** One protocol and setting, a new connection per sample. */
export interface HandshakeRow {
  protocol: Protocol;
  security: SecuritySetting;
  first: Summary;
  second: Summary;
  /** First − second call of each sample: what opening the connection cost. */
  opening: Summary;
  /** The first call's time minus plain's in the same repetition (undefined for plain). */
  addedOverPlain?: Paired;
  failed: number;
}

export function handshakeRows(samples: readonly HandshakeSample[]): HandshakeRow[] {
  return unique(samples.map((s) => s.protocol)).flatMap((protocol) => {
    const ofProtocol = samples.filter((s) => s.protocol === protocol);
    const plain = ofProtocol.filter((s) => s.security === 'plain');
    return unique(ofProtocol.map((s) => s.security)).map((security) => {
      const group = ofProtocol.filter((s) => s.security === security);
      const good = ok(group);
      return {
        protocol, security,
        first: summarize(good.map((s) => s.firstMs)), second: summarize(good.map((s) => s.secondMs)), opening: summarize(good.map((s) => s.firstMs - s.secondMs)),
        addedOverPlain: security === 'plain' ? undefined : pairedSummary(pairedWithin(group, plain, (a, b) => a.firstMs - b.firstMs)),
        failed: group.length - good.length,
      };
    });
  });
}
