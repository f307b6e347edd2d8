import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { LiveUpload } from '@imagepipeline/live';
import type { FastifyRequest } from 'fastify';

/** The multipart field of each image, and of the mode. */
export const UPLOAD_FIELDS = { image: 'image', mode: 'mode' } as const;

export const HOW_TO_UPLOAD = `send multipart/form-data with each image as a file in field "${UPLOAD_FIELDS.image}" and a field "${UPLOAD_FIELDS.mode}" (grpc, rest or race)`;

/** What `POST /api/runs` carries: the mode (if given) and every image, in upload order. */
export interface RunUpload {
  mode?: string;
  uploads: LiveUpload[];
}

/**
 * Reads the images and the mode of a run from a multipart body. A file over the per-image limit
 * (set where multipart is registered) comes back `truncated` with no bytes, to fail on its own;
 * other fields are read and ignored.
 */
export async function readRunUpload(request: FastifyRequest): Promise<RunUpload> {
  if (!request.isMultipart()) throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `not a multipart body: ${HOW_TO_UPLOAD}`);
  const upload: RunUpload = { uploads: [] };
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === UPLOAD_FIELDS.mode) upload.mode = String(part.value).trim();
      continue;
    }
    if (part.fieldname !== UPLOAD_FIELDS.image) {
      part.file.resume();
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `unexpected file in field "${part.fieldname}": ${HOW_TO_UPLOAD}`);
    }
    const data = await part.toBuffer();
    const fileName = part.filename || `image-${upload.uploads.length + 1}`;
    upload.uploads.push(part.file.truncated ? { fileName, data: Buffer.alloc(0), truncated: true } : { fileName, data });
  }
  return upload;
}
