import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { RunReport } from './run-report';

const PROTOCOLS = ['grpc', 'rest'];
const TOPOLOGIES = ['local', 'distributed'];
const MAX_LISTED_PROBLEMS = 10;

/**
 * Checks a RunReport at the edge, before anything is written. Throws one `PipelineError`
 * (`INVALID_ARGUMENT`) that names every bad field, what was expected and what arrived.
 */
export function assertValidRunReport(report: unknown): asserts report is RunReport {
  const problems: string[] = [];
  const expect = (ok: boolean, path: string, expected: string, actual: unknown): boolean => {
    if (!ok) problems.push(`${path}: expected ${expected}, got ${describeValue(actual)}`);
    return ok;
  };

  if (!expect(isRecord(report), 'report', 'an object', report)) throw invalid(problems);
  const r = report as Record<string, unknown>;
  expect(PROTOCOLS.includes(r.protocol as string), 'report.protocol', `one of ${PROTOCOLS.join(', ')}`, r.protocol);
  expect(TOPOLOGIES.includes(r.topology as string), 'report.topology', `one of ${TOPOLOGIES.join(', ')}`, r.topology);
  expect(typeof r.orchestrator === 'string', 'report.orchestrator', 'a string', r.orchestrator);
  expect(isTime(r.startedAtMs), 'report.startedAtMs', 'a finite number', r.startedAtMs);
  expect(isTime(r.finishedAtMs), 'report.finishedAtMs', 'a finite number', r.finishedAtMs);
  if (expect(Array.isArray(r.images), 'report.images', 'an array', r.images)) {
    (r.images as unknown[]).forEach((outcome, i) => checkOutcome(outcome, `report.images[${i}]`, expect));
  }
  if (problems.length > 0) throw invalid(problems);
}

type Expect = (ok: boolean, path: string, expected: string, actual: unknown) => boolean;

function checkOutcome(outcome: unknown, path: string, expect: Expect): void {
  if (!expect(isRecord(outcome), path, 'an object', outcome)) return;
  const o = outcome as Record<string, unknown>;
  expect(typeof o.fileName === 'string', `${path}.fileName`, 'a string', o.fileName);
  expect(isTime(o.sentAtMs), `${path}.sentAtMs`, 'a finite number', o.sentAtMs);
  expect(isTime(o.doneAtMs), `${path}.doneAtMs`, 'a finite number', o.doneAtMs);
  if ('error' in o && !('result' in o)) {
    const error = o.error as Record<string, unknown> | undefined;
    expect(typeof error?.code === 'string', `${path}.error.code`, 'a string', error?.code);
    expect(typeof error?.message === 'string', `${path}.error.message`, 'a string', error?.message);
    return;
  }
  if (!expect(isRecord(o.result), `${path}.result`, 'a ProcessResult (or an error)', o.result)) return;
  const result = o.result as Record<string, unknown>;
  expect(typeof result.label === 'string', `${path}.result.label`, 'a string', result.label);
  expect(Array.isArray(result.topK), `${path}.result.topK`, 'an array', result.topK);
  expect(isTime(result.totalMs), `${path}.result.totalMs`, 'a finite number', result.totalMs);
  if (expect(Array.isArray(result.timeline), `${path}.result.timeline`, 'an array', result.timeline)) {
    (result.timeline as unknown[]).forEach((span, i) => checkSpan(span, `${path}.result.timeline[${i}]`, expect));
  }
  for (const key of ['processedImage', 'uploadedImage', 'denoisedImage']) {
    const image = result[key];
    if (image === undefined || image === null) continue;
    if (!expect(isRecord(image), `${path}.result.${key}`, 'an Image', image)) continue;
    const data = (image as Record<string, unknown>).data;
    expect(data instanceof Uint8Array, `${path}.result.${key}.data`, 'a Buffer', data);
  }
}

function checkSpan(span: unknown, path: string, expect: Expect): void {
  if (!expect(isRecord(span), path, 'a StageSpan', span)) return;
  const s = span as Record<string, unknown>;
  expect(typeof s.stage === 'string', `${path}.stage`, 'a string', s.stage);
  for (const key of ['enqueuedAtMs', 'startedAtMs', 'endedAtMs', 'observedMs', 'computeMs']) {
    expect(isTime(s[key]), `${path}.${key}`, 'a finite number', s[key]);
  }
}

function invalid(problems: string[]): PipelineError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length > listed.length ? `; and ${problems.length - listed.length} more` : '';
  return new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `invalid RunReport: ${listed.join('; ')}${more}`);
}

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
