import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { flushTraces } from './flush-traces';
import { inSpan } from './pipeline-spans';

afterAll(() => trace.disable());

describe('flushTraces', () => {
  it('does nothing without a tracing SDK', async () => {
    await expect(flushTraces()).resolves.toBeUndefined();
  });

  it('sends the spans the SDK still holds', async () => {
    const exporter = new InMemorySpanExporter();
    const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 });
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [batch] }));
    await inSpan('held', {}, async () => undefined);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await flushTraces();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['held']);
  });
});
