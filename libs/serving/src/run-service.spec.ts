import { describe, expect, it } from 'vitest';
import { runService, type StartedService } from './run-service';
import { capturedLogger as keptLines } from './testing/captured-logger';

/** The serving core's logger and the messages it wrote so far. */
function capturedLogger() {
  const { logger, lines } = keptLines();
  return { logger, messages: () => lines.map((line) => line.msg) };
}

/** A transport that records what the shutdown asked of it, in order. */
function fakeService(steps: string[], closing: Promise<void> = Promise.resolve()): StartedService<string> {
  return {
    server: 'the server',
    address: 'test://here',
    stops: {
      graceMs: 1_000,
      transport: { stopAdmitting: () => steps.push('stop admitting'), close: () => (steps.push('close'), closing), cut: () => steps.push('cut') },
      drains: [{ drain: async () => void steps.push('drain') }],
      resources: [{ close: async () => void steps.push('close resource') }],
    },
  };
}

describe('runService', () => {
  it('starts, says where, and on a signal drains, closes, closes its resources and exits 0', async () => {
    const { logger, messages } = capturedLogger();
    const steps: string[] = [];
    const exits: number[] = [];
    const running = await runService({ logger, start: async () => fakeService(steps), signals: ['SIGUSR2'], exit: (code) => exits.push(code) });
    expect(running.server).toBe('the server');
    process.emit('SIGUSR2', 'SIGUSR2');
    await expect.poll(() => exits).toEqual([0]);
    expect(steps).toEqual(['stop admitting', 'drain', 'close', 'close resource']);
    expect(messages()).toEqual(expect.arrayContaining(['listening', 'ready', 'shutting down', 'shut down']));
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('exits 1 at once on a second signal during shutdown', async () => {
    const { logger } = capturedLogger();
    const exits: number[] = [];
    let finishClose!: () => void;
    const closing = new Promise<void>((resolve) => (finishClose = resolve));
    await runService({ logger, start: async () => fakeService([], closing), signals: ['SIGUSR2'], exit: (code) => exits.push(code) });
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(exits).toEqual([1]);
    finishClose();
    await expect.poll(() => exits).toEqual([1, 0]);
  });

  it('shuts down, then exits 1, when the service can never become ready', async () => {
    const { logger, messages } = capturedLogger();
    const steps: string[] = [];
    const exits: number[] = [];
    await runService({ logger, start: async () => fakeService(steps), ready: Promise.reject(new Error('model missing')), signals: [], exit: (code) => exits.push(code) });
    await expect.poll(() => exits).toEqual([1]);
    expect(steps).toContain('close resource');
    expect(messages()).toContain('exiting: start-up failed: model missing');
  });

  it('exits 1 when it cannot start, saying why', async () => {
    const { logger, messages } = capturedLogger();
    const exits: number[] = [];
    const started = runService({ logger, start: () => Promise.reject(new Error('port 1 in use')), signals: [], exit: (code) => exits.push(code) });
    await expect(started).rejects.toThrow('port 1 in use');
    expect(exits).toEqual([1]);
    expect(messages()).toContain('cannot start: port 1 in use');
  });

  it('shutdown() is the same graceful stop without the exit, once however often called', async () => {
    const { logger } = capturedLogger();
    const steps: string[] = [];
    const exits: number[] = [];
    const running = await runService({ logger, start: async () => fakeService(steps), signals: [], exit: (code) => exits.push(code) });
    await Promise.all([running.shutdown(), running.shutdown()]);
    expect(steps).toEqual(['stop admitting', 'drain', 'close', 'close resource']);
    expect(exits).toEqual([]);
  });
});
