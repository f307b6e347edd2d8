import { readFile } from 'node:fs/promises';
import { stageTableRow } from '@imagepipeline/contracts';
import type { Protocol } from '@imagepipeline/config';

interface LogLine {
  msg?: string;
  method?: string;
}

/** The method a background-removal call is logged under, per protocol. */
const { grpcMethod, restRoute } = stageTableRow('background-remover');
const BACKGROUND_REMOVAL_METHOD: Record<Protocol, string> = { grpc: grpcMethod, rest: `POST ${restRoute}` };

/** Whether a log line is the replica's own record of one background-removal call (both protocols log every finished call alike). */
function isBackgroundRemoval(protocol: Protocol, line: LogLine): boolean {
  return line.msg === 'call' && line.method === BACKGROUND_REMOVAL_METHOD[protocol];
}

/**
 * Background-removal requests a replica served, counted from its own log (LOG_LEVEL info or lower),
 * not from the orchestrator's bookkeeping. A missing log counts nothing.
 */
export async function countBackgroundRemovals(protocol: Protocol, logFile: string): Promise<number> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.split('\n').filter((raw) => {
    if (!raw.startsWith('{')) return false;
    try {
      return isBackgroundRemoval(protocol, JSON.parse(raw) as LogLine);
    } catch {
      return false; // a line cut short by a kill
    }
  }).length;
}
