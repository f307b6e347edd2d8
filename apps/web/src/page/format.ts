/** Pure formatting helpers: no DOM, no Node. */
import type { LiveProtocol } from '@imagepipeline/live/events';

export const PROTOCOL_TITLES: Record<LiveProtocol, string> = { grpc: 'gRPC', rest: 'REST' };

/** Milliseconds as a person reads them: `7.4 ms`, `786 ms`, `1.24 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} B`;
}

export function formatPercent(probability: number): string {
  return `${(probability * 100).toFixed(1)}%`;
}

/** What each pipeline error code means, in words (codes from `PipelineErrorCode`). */
const ERROR_WORDS: Record<string, string> = {
  IMAGE_EMPTY: 'The file is empty',
  IMAGE_UNREADABLE: 'Not an image the pipeline can read',
  IMAGE_UNSUPPORTED_FORMAT: 'An image format the pipeline does not accept',
  IMAGE_TOO_LARGE: 'The image is too large',
  IMAGE_TOO_MANY_PIXELS: 'The image has too many pixels',
  INVALID_ARGUMENT: 'The request was not valid',
  MODEL_UNAVAILABLE: 'A model could not be loaded',
  QUEUE_FULL: 'The pipeline is busy (a queue is full); try again in a moment',
  STAGE_UNAVAILABLE: 'A stage of the pipeline is down',
  DEADLINE_EXCEEDED: 'A stage took too long',
  UNAUTHENTICATED: 'A service asked for credentials',
  PERMISSION_DENIED: 'A service refused the credentials',
  NOT_FOUND: 'Not found',
  INTERNAL: 'Something went wrong on the server',
};

/** `Not an image the pipeline can read: <message> (code IMAGE_UNREADABLE)`. */
export function describeFailure(code: string, message: string): string {
  const words = ERROR_WORDS[code] ?? 'Failed';
  const detail = message && message !== words ? `: ${message}` : '';
  return `${words}${detail} (code ${code})`;
}

/** Black or white, whichever reads better on the given `#rrggbb` background (as the timeline PNG). */
export function textColourOn(hex: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return '#1f2933';
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.6 ? '#1f2933' : '#ffffff';
}

/** `coffee.png` → `coffee-grpc.png`: the processed PNG's download name. */
export function downloadName(fileName: string, protocol: LiveProtocol): string {
  const base = fileName.replace(/(.)\.[^./\\]+$/, '$1') || 'image';
  return `${base}-${protocol}.png`;
}
