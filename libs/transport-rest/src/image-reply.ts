import {
  RAW_PIXELS_FORMAT,
  REST_HEADERS,
  REST_IMAGE_MEDIA_TYPE,
  REST_RAW_PIXELS_MEDIA_TYPE,
  type Image,
  type StageSpan,
} from '@imagepipeline/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * True when the client asked for the image itself (`Accept: image/png`, `image/*` or raw pixels)
 * over JSON: its quality must beat `application/json`'s; JSON is the default.
 */
export function wantsImage(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (!accept) return false;
  let image = 0;
  let json = -1;
  for (const entry of accept.split(',')) {
    const [type = '', ...params] = entry.trim().toLowerCase().split(';');
    const q = quality(params);
    if (type === REST_IMAGE_MEDIA_TYPE || type === 'image/*' || type === REST_RAW_PIXELS_MEDIA_TYPE) image = Math.max(image, q);
    else if (type === 'application/json') json = Math.max(json, q);
  }
  return image > 0 && image > json;
}

/** Metadata headers sent with a binary image; `undefined` values are left out. */
export type ImageHeaderValues = Record<string, string | number | undefined>;

/** Answers the image's bytes with its `Image` fields (and any `extra` ones) in headers. */
export function sendImage(reply: FastifyReply, image: Image, extra: ImageHeaderValues = {}): FastifyReply {
  const headers: ImageHeaderValues = {
    [REST_HEADERS.imageFormat]: image.format || undefined,
    [REST_HEADERS.imageWidth]: image.width,
    [REST_HEADERS.imageHeight]: image.height,
    [REST_HEADERS.imageChannels]: image.channels || undefined,
    [REST_HEADERS.fileName]: image.fileName ? encodeURIComponent(image.fileName) : undefined,
    ...extra,
  };
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) reply.header(name, typeof value === 'number' ? formatNumber(value) : value);
  }
  return reply.type(mediaTypeOf(image)).send(image.data);
}

/** `upload;enqueued=0.0;started=0.1;ended=12.3;compute=10.2, ...`, times relative to `receivedAtMs`. */
export function timelineHeader(timeline: readonly StageSpan[], receivedAtMs: number): string {
  const ms = (value: number) => (value - receivedAtMs).toFixed(1);
  return timeline
    .map(
      (span) =>
        `${span.stage};enqueued=${ms(span.enqueuedAtMs)};started=${ms(span.startedAtMs)};` +
        `ended=${ms(span.endedAtMs)};compute=${span.computeMs.toFixed(1)}`,
    )
    .join(', ');
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function quality(params: string[]): number {
  for (const param of params) {
    const [key, value] = param.trim().split('=');
    if (key === 'q') {
      const q = Number(value);
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}

/** `image/png` for a PNG, the raw-pixels media type for raw pixels. */
export function mediaTypeOf(image: Pick<Image, 'format'>): string {
  return image.format === RAW_PIXELS_FORMAT ? REST_RAW_PIXELS_MEDIA_TYPE : `image/${image.format || 'png'}`;
}
