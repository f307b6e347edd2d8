import type { Prediction } from '@imagepipeline/contracts';
import { imagesPerSecond, wallSeconds } from './format';
import { describeMachine } from './machine-info';
import { isImageFailure, type ImageError, type MachineInfo, type RunReport } from './run-report';

/** Bumped when the shape of `summary.json` changes incompatibly. */
export const SUMMARY_SCHEMA_VERSION = 1;

/** One stage of one image in `summary.json`, milliseconds. */
export interface StageSummary {
  observedMs: number;
  computeMs: number;
  queueMs: number;
}

/** One image in `summary.json`. */
export interface ImageSummary {
  fileName: string;
  status: 'ok' | 'failed';
  label?: string;
  probability?: number;
  topK?: Prediction[];
  uploadId?: string;
  /** Keyed by wire stage name. */
  stages?: Record<string, StageSummary>;
  /** Client: request sent to response received. Orchestrator: its own `totalMs`. */
  totals: { clientMs: number; orchestratorMs?: number };
  error?: ImageError;
  /** Files of this image, relative to the results folder. */
  files: string[];
}

/** The content of `summary.json`. */
export interface RunSummary {
  schemaVersion: number;
  protocol: RunReport['protocol'];
  topology: RunReport['topology'];
  orchestrator: string;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  /** Successful images per wall second. */
  imagesPerSecond: number;
  counts: { images: number; succeeded: number; failed: number };
  versions: Record<string, string>;
  machine: MachineInfo;
  images: ImageSummary[];
  /** Every file of the results folder, relative to it, `summary.json` included. */
  files: string[];
}

/**
 * Builds `summary.json`. `imageFiles[i]` lists the files written for `report.images[i]`;
 * `files` every file of the folder. Missing `versions.node` and `machine` are filled in from
 * this process.
 */
export function buildRunSummary(report: RunReport, imageFiles: string[][], files: string[]): RunSummary {
  const succeeded = report.images.filter((o) => !isImageFailure(o)).length;
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    protocol: report.protocol,
    topology: report.topology,
    orchestrator: report.orchestrator,
    startedAt: new Date(report.startedAtMs).toISOString(),
    finishedAt: new Date(report.finishedAtMs).toISOString(),
    wallSeconds: round(wallSeconds(report), 3),
    imagesPerSecond: round(imagesPerSecond(report), 3),
    counts: { images: report.images.length, succeeded, failed: report.images.length - succeeded },
    versions: { node: process.version, ...report.versions },
    machine: report.machine ?? describeMachine(),
    images: report.images.map((outcome, i): ImageSummary => {
      const clientMs = round(outcome.doneAtMs - outcome.sentAtMs, 3);
      const ownFiles = imageFiles[i] ?? [];
      if (isImageFailure(outcome)) {
        return { fileName: outcome.fileName, status: 'failed', totals: { clientMs }, error: { ...outcome.error }, files: ownFiles };
      }
      const { result } = outcome;
      const stages = Object.fromEntries(
        result.timeline.map((span) => [
          span.stage,
          { observedMs: span.observedMs, computeMs: span.computeMs, queueMs: span.startedAtMs - span.enqueuedAtMs },
        ]),
      );
      return {
        fileName: outcome.fileName,
        status: 'ok',
        label: result.label,
        probability: topProbability(result.label, result.topK),
        topK: result.topK.map((p) => ({ label: p.label, classIndex: p.classIndex, probability: p.probability })),
        uploadId: result.uploadId,
        stages,
        totals: { clientMs, orchestratorMs: result.totalMs },
        files: ownFiles,
      };
    }),
    files,
  };
}

/** The probability of the winning label: its top-k entry, else the first. */
export function topProbability(label: string, topK: readonly Prediction[]): number | undefined {
  return (topK.find((p) => p.label === label) ?? topK[0])?.probability;
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}
