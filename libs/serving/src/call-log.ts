import type { ServiceLog } from './service-logger';

/** One served call, logged the same way by both protocols. */
export interface CallRecord {
  /** The RPC method (`Classify`) or the route (`POST /v1/classify`). */
  method: string;
  /** The gRPC status name or the HTTP status code. */
  status: string | number;
  ms: number;
  peer: string;
  /** The failure's full message: the client's answer may have had internal details taken out. */
  error?: string;
}

/** How a call ended: done (or the client left), refused as the client's fault or a limit, or failed on our side. */
export type CallOutcome = 'done' | 'refused' | 'failed';

const LEVEL_OF: Record<CallOutcome, 'info' | 'warn' | 'error'> = { done: 'info', refused: 'warn', failed: 'error' };

/** Writes the call's one line, `msg: "call"`, at info, warn or error by its outcome. */
export function logCall(logger: ServiceLog, record: CallRecord, outcome: CallOutcome): void {
  logger[LEVEL_OF[outcome]]({ ...record, ms: Math.round(record.ms * 10) / 10 }, 'call');
}
