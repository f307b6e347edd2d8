/** The page's side of libs/live/src/live-events.ts: fetch and EventSource, nothing else. */
import type { LiveEvent, LiveInfo, RunCreated } from '@imagepipeline/live/events';

export type RunMode = 'grpc' | 'rest' | 'race';

export const EVENT_TYPES: readonly LiveEvent['type'][] = ['sent', 'stage', 'done', 'failed', 'finished'];

/** A refused request, with what the server said and its HTTP status. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }

  /** `the server said … (HTTP 413, code IMAGE_TOO_LARGE)`. */
  describe(): string {
    const parts = [this.status ? `HTTP ${this.status}` : undefined, this.code ? `code ${this.code}` : undefined].filter(Boolean);
    return parts.length ? `${this.message} (${parts.join(', ')})` : this.message;
  }
}

async function refusal(response: Response): Promise<RequestError> {
  const text = await response.text().catch(() => '');
  let message = text.trim().slice(0, 300) || response.statusText || 'no answer';
  let code: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; code?: unknown };
    if (typeof body.error === 'string') message = body.error;
    else if (typeof body.message === 'string') message = body.message;
    if (typeof body.code === 'string') code = body.code;
  } catch {
    // not JSON: the text itself
  }
  return new RequestError(message, response.status, code);
}

async function send(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (error) {
    throw new RequestError(`the server could not be reached (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw await refusal(response);
  return response;
}

export async function getInfo(): Promise<LiveInfo> {
  return (await send('/api/info')).json() as Promise<LiveInfo>;
}

/** `POST /api/runs`: the mode first, then each file as an `image` part. */
export async function createRun(mode: RunMode, files: readonly File[]): Promise<RunCreated> {
  const form = new FormData();
  form.append('mode', mode);
  for (const file of files) form.append('image', file, file.name);
  return (await send('/api/runs', { method: 'POST', body: form })).json() as Promise<RunCreated>;
}

export interface Subscription {
  close(): void;
}

export interface RunListener {
  event(event: LiveEvent): void;
  /** The stream broke; `retrying` while the browser reconnects (and replays every event). */
  trouble(retrying: boolean): void;
  /** The stream is (again) open. */
  open(): void;
}

/** `GET /api/runs/:runId/events`; closes itself after `finished`. */
export function subscribe(runId: string, listener: RunListener): Subscription {
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
  let closed = false;
  const close = () => {
    closed = true;
    source.close();
  };
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (message) => {
      if (closed) return;
      let event: LiveEvent;
      try {
        event = { ...(JSON.parse((message as MessageEvent<string>).data) as object), type } as LiveEvent;
      } catch {
        return;
      }
      listener.event(event);
      if (event.type === 'finished') close();
    });
  }
  source.addEventListener('open', () => listener.open());
  source.addEventListener('error', () => {
    if (closed) return;
    listener.trouble(source.readyState === EventSource.CONNECTING);
  });
  return { close };
}
