import type { ReceivedSpan } from '@imagepipeline/telemetry/testing';

/** One trace's spans, with its parent links resolved. */
export class TraceTree {
  private readonly byId: Map<string, ReceivedSpan>;

  constructor(readonly spans: readonly ReceivedSpan[]) {
    this.byId = new Map(spans.map((span) => [span.spanId, span]));
  }

  /** The traces among `spans`, by trace id. */
  static group(spans: readonly ReceivedSpan[]): Map<string, TraceTree> {
    const groups = new Map<string, ReceivedSpan[]>();
    for (const span of spans) groups.set(span.traceId, [...(groups.get(span.traceId) ?? []), span]);
    return new Map([...groups].map(([traceId, members]) => [traceId, new TraceTree(members)]));
  }

  /** The trace's only span of this name (in this service, when given); throws when there is none or several. */
  one(name: string, service?: string): ReceivedSpan {
    const found = this.spans.filter((span) => span.name === name && (service === undefined || span.service === service));
    if (found.length !== 1) throw new Error(`expected one span "${name}"${service ? ` of ${service}` : ''}, found ${found.length}`);
    return found[0];
  }

  parent(span: ReceivedSpan): ReceivedSpan | undefined {
    return this.byId.get(span.parentSpanId);
  }

  /** Spans whose parent is not in the trace (the root has none): none when the trace is whole. */
  orphans(): ReceivedSpan[] {
    return this.spans.filter((span) => span.parentSpanId !== '' && !this.byId.has(span.parentSpanId));
  }

  /** `span`'s ancestors, nearest first. */
  ancestors(span: ReceivedSpan): ReceivedSpan[] {
    const chain: ReceivedSpan[] = [];
    for (let up = this.parent(span); up; up = this.parent(up)) chain.push(up);
    return chain;
  }

  /** The spans whose parent is `span`. */
  children(span: ReceivedSpan): ReceivedSpan[] {
    return this.spans.filter((candidate) => candidate.parentSpanId === span.spanId);
  }
}

export const durationMs = (span: ReceivedSpan) => span.endMs - span.startMs;
