import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inSpan, recordSpan, traceContextHeaders } from './pipeline-spans';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});
beforeEach(() => exporter.reset());

const finished = (name: string): ReadableSpan => {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span ${name}`);
  return span;
};
const epochMs = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

describe('inSpan', () => {
  it('makes its span the parent of the spans its work starts, across awaits', async () => {
    await inSpan('outer', {}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await inSpan('inner', { 'pipeline.stage': 'upload' }, async () => undefined);
    });
    const outer = finished('outer');
    const inner = finished('inner');
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(inner.attributes['pipeline.stage']).toBe('upload');
  });

  it('starts and ends at the instants it is given', async () => {
    await inSpan('timed', {}, async ({ setEndMs }) => setEndMs(1_700_000_000_250), { startMs: 1_700_000_000_000 });
    const span = finished('timed');
    expect(epochMs(span.startTime)).toBe(1_700_000_000_000);
    expect(epochMs(span.endTime)).toBe(1_700_000_000_250);
  });

  it('records a rejection as an error and passes it on', async () => {
    await expect(inSpan('failing', {}, async () => Promise.reject(new Error('no model')))).rejects.toThrow('no model');
    const span = finished('failing');
    expect(span.status).toMatchObject({ code: 2, message: 'no model' });
    expect(span.events.map((event) => event.name)).toContain('exception');
  });

  it('marks a failure the work answers rather than throws', async () => {
    await inSpan('answered', {}, async ({ fail }) => fail(new Error('IMAGE_UNREADABLE')));
    expect(finished('answered').status).toMatchObject({ code: 2, message: 'IMAGE_UNREADABLE' });
  });
});

describe('recordSpan', () => {
  it('records a span that already happened, as a child of the active span', async () => {
    await inSpan('parent', {}, async () => recordSpan('waited', { 'pipeline.stage': 'classification' }, { startMs: 1_000, endMs: 1_040 }));
    const waited = finished('waited');
    expect(waited.parentSpanContext?.spanId).toBe(finished('parent').spanContext().spanId);
    expect(epochMs(waited.endTime) - epochMs(waited.startTime)).toBe(40);
  });
});

describe('traceContextHeaders', () => {
  it("carries the active span's context as W3C traceparent, from a client span", async () => {
    expect(traceContextHeaders()).toEqual({});
    const headers = await inSpan('POST', {}, async () => traceContextHeaders(), { kind: 'client' });
    const call = finished('POST');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(headers.traceparent).toBe(`00-${call.spanContext().traceId}-${call.spanContext().spanId}-01`);
  });
});
