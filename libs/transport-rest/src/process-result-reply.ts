import { REST_HEADERS, type ProcessResult } from '@imagepipeline/contracts';
import type { FastifyReply } from 'fastify';
import { sendImage, timelineHeader } from './image-reply';

/** Answers a ProcessResult as its processed PNG with label, upload id, times and timeline in headers. */
export function sendProcessedImage(reply: FastifyReply, result: ProcessResult): FastifyReply {
  const image = result.processedImage;
  if (!image) throw new Error('sendProcessedImage needs a result with a processed image');
  return sendImage(
    reply,
    { ...image, fileName: image.fileName || result.fileName },
    {
      [REST_HEADERS.label]: encodeURIComponent(result.label),
      [REST_HEADERS.uploadId]: result.uploadId || undefined,
      [REST_HEADERS.receivedAtMs]: result.receivedAtMs,
      [REST_HEADERS.totalMs]: result.totalMs,
      [REST_HEADERS.timeline]: timelineHeader(result.timeline, result.receivedAtMs),
    },
  );
}
