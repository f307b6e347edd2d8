import type { RunProtocol, RunReport } from './run-report';
import { isImageFailure } from './run-report';

/** `grpc` → `gRPC`, `rest` → `REST`. */
export function protocolTitle(protocol: RunProtocol): string {
  return protocol === 'grpc' ? 'gRPC' : 'REST';
}

/** Seconds for people: `0.45 s`, `3.9 s`, `125 s`. */
export function formatSeconds(seconds: number): string {
  const digits = seconds < 1 ? 2 : seconds < 100 ? 1 : 0;
  return `${seconds.toFixed(digits)} s`;
}

/** Milliseconds with one decimal, `—` when absent. */
export function formatMs(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '—' : ms.toFixed(1);
}

/** An epoch time as `2025-11-27 23:01:05 UTC`. */
export function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Wall time of the run in seconds (client clock), never negative. */
export function wallSeconds(report: RunReport): number {
  return Math.max(0, (report.finishedAtMs - report.startedAtMs) / 1000);
}

/** Successful images per wall second; 0 for an instant or empty run. */
export function imagesPerSecond(report: RunReport): number {
  const seconds = wallSeconds(report);
  const succeeded = report.images.filter((o) => !isImageFailure(o)).length;
  return seconds > 0 ? succeeded / seconds : 0;
}
