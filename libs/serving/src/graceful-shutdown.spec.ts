import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { shutDownGracefully, type ServingTransport } from './graceful-shutdown';

const quiet = pino({ level: 'silent' });

describe('shutDownGracefully', () => {
  it('cuts the calls still in flight when the grace period is over, then closes the resources', async () => {
    const steps: string[] = [];
    let finishClose!: () => void;
    const transport: ServingTransport = {
      stopAdmitting: () => steps.push('stop admitting'),
      close: () => new Promise<void>((resolve) => (steps.push('close'), (finishClose = resolve))),
      cut: () => (steps.push('cut'), finishClose()),
    };
    const started = Date.now();
    await shutDownGracefully({ transport, graceMs: 50, resources: [{ close: async () => void steps.push('close resource') }], logger: quiet });
    expect(steps).toEqual(['stop admitting', 'close', 'cut', 'close resource']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('stops waiting for jobs that do not finish within the grace, and still closes everything', async () => {
    const steps: string[] = [];
    const transport: ServingTransport = { stopAdmitting: () => undefined, close: async () => void steps.push('close'), cut: () => steps.push('cut') };
    await shutDownGracefully({ transport, graceMs: 50, drains: [{ drain: () => new Promise<void>(() => undefined) }], logger: quiet });
    expect(steps).toEqual(['close']);
  });

  it('does not wait for a resource that never finishes closing past the grace', async () => {
    const transport: ServingTransport = { stopAdmitting: () => undefined, close: async () => undefined, cut: () => undefined };
    const started = Date.now();
    await shutDownGracefully({ transport, graceMs: 50, resources: [{ close: () => new Promise<void>(() => undefined) }], logger: quiet });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
