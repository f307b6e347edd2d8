import type { ProcessResult } from '@imagepipeline/contracts';

/** The wire protocol a run used between the client, the orchestrator and the stages. */
export type RunProtocol = 'grpc' | 'rest';

/** Where the services ran: all on one host, or each on its own host. */
export type RunTopology = 'local' | 'distributed';

/** The machine a run was measured on (see `describeMachine`). */
export interface MachineInfo {
  /** Platform, release and architecture, e.g. `linux 6.8.0 x64`. */
  os: string;
  /** Logical CPU count. */
  cpus: number;
  cpuModel?: string;
  /** Total memory in bytes. */
  memoryBytes: number;
  hostname?: string;
}

/** Why an image failed: a stable code (a `PipelineErrorCode` or a transport status) and a message. */
export interface ImageError {
  code: string;
  message: string;
}

/**
 * One image the orchestrator processed. `sentAtMs`/`doneAtMs` are the client's epoch milliseconds
 * (request sent, response fully received); `result.timeline` is in the orchestrator's clock.
 */
export interface ImageSuccess {
  fileName: string;
  result: ProcessResult;
  sentAtMs: number;
  doneAtMs: number;
}

/** One image that failed, as the client saw it (client epoch milliseconds). */
export interface ImageFailure {
  fileName: string;
  error: ImageError;
  sentAtMs: number;
  doneAtMs: number;
}

/** What happened to one image of a run. */
export type ImageOutcome = ImageSuccess | ImageFailure;

/** Everything a pipeline run produced, as input to `writeRunResults` and `formatSummaryTable`. */
export interface RunReport {
  protocol: RunProtocol;
  topology: RunTopology;
  /** The orchestrator's address as the client used it, e.g. `127.0.0.1:50030`. */
  orchestrator: string;
  /** Client epoch milliseconds: the run began (before the first image was sent) and ended. */
  startedAtMs: number;
  finishedAtMs: number;
  /** In the order the client listed the images. */
  images: ImageOutcome[];
  /** Versions worth recording (node, the services, the models), by name. */
  versions?: Record<string, string>;
  machine?: MachineInfo;
}

/** True when the image failed (it has an `error` and no `result`). */
export function isImageFailure(outcome: ImageOutcome): outcome is ImageFailure {
  return 'error' in outcome && !('result' in outcome);
}
