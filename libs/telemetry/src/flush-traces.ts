import { trace } from '@opentelemetry/api';

interface Flushable {
  forceFlush(): Promise<void>;
}

/**
 * Sends the spans this process still holds to the exporter and waits for it: what a service does
 * before it exits. Without a tracing SDK (tracing off) there is nothing to send.
 */
export async function flushTraces(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = provider.getDelegate?.() as Partial<Flushable> | undefined;
  await delegate?.forceFlush?.();
}
