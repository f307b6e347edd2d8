import { Image as ImageMessage, ProcessResult, REST_HEADERS, REST_ROUTES, type Image, type StageSpan } from '@imagepipeline/contracts';
import { GrpcOrchestratorClient } from '@imagepipeline/transport-grpc';
import { parseTimelineHeader } from './timeline-header';
import type { Variant } from './variants';

/** What one image through the whole pipeline gave, as the benchmark client saw it. */
export interface PipelineAnswer {
  /** Client-observed time, send to last byte of the answer. */
  clientMs: number;
  /** The orchestrator's own time for the image. */
  totalMs: number;
  timeline: StageSpan[];
}

/** Sends one image through the orchestrator in a protocol variant's own style. */
export interface PipelineCaller {
  process(image: Image): Promise<PipelineAnswer>;
  close(): Promise<void>;
}

const PIPELINE_URL = (address: string) => `http://${address}${REST_ROUTES.pipeline}?topK=1`;

/** gRPC `ProcessStream` through the product's own client. */
function grpcCaller(address: string): PipelineCaller {
  const client = new GrpcOrchestratorClient(address);
  return {
    async process(image) {
      const start = performance.now();
      const result = await client.process(image, { topK: 1, includeIntermediates: false });
      return { clientMs: performance.now() - start, totalMs: result.totalMs, timeline: result.timeline };
    },
    close: () => client.close(),
  };
}

/** REST with a raw image body and `Accept: image/png`: the processed PNG back, timeline in headers. */
function restBinaryCaller(address: string): PipelineCaller {
  return {
    async process(image) {
      const start = performance.now();
      const response = await fetch(PIPELINE_URL(address), {
        method: 'POST',
        body: image.data,
        headers: { 'content-type': 'application/octet-stream', accept: 'image/png', [REST_HEADERS.fileName]: encodeURIComponent(image.fileName) },
      });
      const body = Buffer.from(await response.arrayBuffer());
      const clientMs = performance.now() - start;
      if (!response.ok) throw new Error(`orchestrator answered ${response.status}: ${body.toString().slice(0, 300)}`);
      const receivedAtMs = Number(response.headers.get(REST_HEADERS.receivedAtMs) ?? 0);
      return {
        clientMs,
        totalMs: Number(response.headers.get(REST_HEADERS.totalMs) ?? 0),
        timeline: parseTimelineHeader(response.headers.get(REST_HEADERS.timeline) ?? '', receivedAtMs),
      };
    },
    close: async () => undefined,
  };
}

/** REST the original project's way: a JSON body with the image in base64, a JSON answer. */
function restJsonCaller(address: string): PipelineCaller {
  return {
    async process(image) {
      const start = performance.now();
      const response = await fetch(PIPELINE_URL(address), {
        method: 'POST',
        body: JSON.stringify({ image: ImageMessage.toJSON(image) }),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`orchestrator answered ${response.status}: ${text.slice(0, 300)}`);
      const result = ProcessResult.fromJSON(JSON.parse(text));
      return { clientMs: performance.now() - start, totalMs: result.totalMs, timeline: result.timeline };
    },
    close: async () => undefined,
  };
}

export function pipelineCaller(variant: Variant, address: string): PipelineCaller {
  if (variant === 'grpc') return grpcCaller(address);
  // The orchestrator's own API is HTTP/1.1 in both binary variants; only its stage calls differ.
  return variant === 'rest-json' ? restJsonCaller(address) : restBinaryCaller(address);
}
