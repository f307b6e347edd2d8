import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP receiver gets it, with its process's `service.name`. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a trace's root. */
  parentSpanId: string;
  name: string;
  /** OTLP's span kind: 1 internal, 2 server, 3 client. */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

/** The OTLP span kinds a test looks for. */
export const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
/** OTLP's span status codes. */
export const SPAN_STATUS = { unset: 0, ok: 1, error: 2 } as const;

/**
 * A local OTLP/HTTP receiver of traces in JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`): what a
 * collector does with the exporters' requests, enough for tests and the benchmark to see every
 * span the processes sent.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private requests = 0;

  private readonly server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      try {
        this.take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });

  private constructor() {}

  /** Where the exporters send: what `OTEL_EXPORTER_OTLP_ENDPOINT` takes. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** How many export requests arrived. */
  get exportRequests(): number {
    return this.requests;
  }

  /** Waits until `done(spans)` holds, checking as spans arrive; rejects after `timeoutMs`. */
  async waitFor(done: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.spans)) {
      if (Date.now() > deadline) throw new Error(`the spans expected did not arrive within ${timeoutMs} ms (${this.spans.length} spans received)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private take(request: ExportRequest): void {
    this.requests += 1;
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributeRecord(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service: String(resource['service.name'] ?? ''),
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind ?? 0,
            startMs: nanosToMs(span.startTimeUnixNano),
            endMs: nanosToMs(span.endTimeUnixNano),
            attributes: attributeRecord(span.attributes),
            statusCode: span.status?.code ?? 0,
          });
        }
      }
    }
  }
}

/** The parts of OTLP/JSON's ExportTraceServiceRequest read here. */
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
        attributes?: KeyValue[];
        status?: { code?: number };
      }[];
    }[];
  }[];
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

function attributeRecord(attributes: KeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));
}

/** Epoch nanoseconds (a decimal string in OTLP/JSON) to milliseconds, keeping the fraction. */
function nanosToMs(nanos: string | number): number {
  return Number(BigInt(nanos) / 1000n) / 1000;
}
