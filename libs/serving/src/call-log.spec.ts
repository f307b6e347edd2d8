import { describe, expect, it } from 'vitest';
import { logCall } from './call-log';
import { capturedLogger } from './testing/captured-logger';

describe('logCall', () => {
  it('writes one pino line per call, the same shape for both protocols, its level by outcome', () => {
    const { logger, lines } = capturedLogger('classifier');
    logCall(logger, { method: 'Classify', status: 'OK', ms: 12.345, peer: 'ipv4:127.0.0.1:5000' }, 'done');
    logCall(logger, { method: 'POST /v1/classify', status: 429, ms: 0.26, peer: '127.0.0.1' }, 'refused');
    logCall(logger, { method: 'Classify', status: 'INTERNAL', ms: 3, peer: 'ipv4:127.0.0.1:5000', error: 'model crashed' }, 'failed');
    const shape = (line: Record<string, unknown>) => Object.keys(line).filter((key) => key !== 'error').sort();
    expect(new Set(lines.map((line) => JSON.stringify(shape(line))))).toEqual(
      new Set([JSON.stringify(['level', 'method', 'ms', 'msg', 'peer', 'service', 'status', 'time'])]),
    );
    expect(lines.map((line) => [line.level, line.msg, line.ms])).toEqual([
      [30, 'call', 12.3],
      [40, 'call', 0.3],
      [50, 'call', 3],
    ]);
    expect(lines[2]).toMatchObject({ service: 'classifier', error: 'model crashed' });
  });
});
