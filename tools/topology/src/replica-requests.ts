import { readFile } from 'node:fs/promises';
import { REST_ROUTES } from '@imagepipeline/contracts';
import type { Protocol } from '@imagepipeline/config';

interface LogLine {
  msg?: string;
  method?: string;
  req?: { url?: string };
}

/** Whether a log line is the replica's own record of one background-removal request. */
function isBackgroundRemoval(protocol: Protocol, line: LogLine): boolean {
  // gRPC logs every finished call; Fastify logs every request as it arrives.
  return protocol === 'grpc'
    ? line.msg === 'call' && line.method === 'RemoveBackground'
    : line.msg === 'incoming request' && (line.req?.url ?? '').startsWith(REST_ROUTES.removeBackground);
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
