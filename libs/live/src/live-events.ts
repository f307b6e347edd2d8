/**
 * What the web page and its server say to each other (apps/web). Types only: the page's bundle
 * imports them too. Times are milliseconds since the run was created, on the server's clock (the
 * orchestrators run on the same machine, so their stage times map onto it directly).
 */
import type { StageName } from '@imagepipeline/contracts';

export type LiveProtocol = 'grpc' | 'rest';

/** `GET /api/info`: what this server can do. */
export interface LiveInfo {
  /** The protocols whose orchestrator this server was given, in this order. */
  protocols: LiveProtocol[];
  /** Largest upload accepted per image. */
  maxImageBytes: number;
  /** The four stages, in pipeline order, with the title the page shows. */
  stages: { name: StageName; title: string }[];
}

/** `POST /api/runs` (multipart: `image` file parts, then or before them a field `mode`: grpc | rest | race). */
export interface RunCreated {
  runId: string;
  protocols: LiveProtocol[];
  /** Every uploaded file, in upload order; `colour` is the n-th series colour of timeline.png. */
  images: { imageId: string; fileName: string; colour: string }[];
}

/** One image through one protocol. */
interface LaneEvent {
  imageId: string;
  protocol: LiveProtocol;
}

/**
 * `GET /api/runs/:runId/events`, Server-Sent Events: the SSE event name is `type`, the data this
 * object as JSON. A new subscriber first gets every event so far, so none is missed.
 */
export type LiveEvent =
  | (LaneEvent & { type: 'sent'; atMs: number })
  | (LaneEvent & {
      type: 'stage';
      stage: StageName;
      startMs: number;
      endMs: number;
      /** The stage's own compute time, and the rest of the call as the orchestrator saw it. */
      computeMs: number;
      transportMs: number;
    })
  | (LaneEvent & {
      type: 'done';
      label: string;
      topK: { label: string; probability: number }[];
      totalMs: number;
      /** The processed RGBA PNG (background removed), downloadable. */
      processedUrl: string;
    })
  | (LaneEvent & { type: 'failed'; code: string; message: string })
  | { type: 'finished'; latencyCsvUrls: Partial<Record<LiveProtocol, string>> };
