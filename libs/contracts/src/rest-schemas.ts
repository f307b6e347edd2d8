/**
 * The REST side of the wire contract: routes, headers and JSON Schemas (draft-07, as Fastify's Ajv
 * reads them). JSON bodies are the proto3 JSON form of the `pipeline.proto` messages: camelCase
 * names, `bytes` as base64 strings, fields at their default value (0, "", []) left out. Images may
 * also travel as binary bodies, with the other `Image` fields in the headers below.
 */

import { stageTableRow } from './stage-table';
import { STAGE_OUTPUT_FORMATS } from './stages';

/** Every REST route, the stages' as `STAGE_TABLE` names them; `:id` is a job id. */
export const REST_ROUTES = {
  upload: stageTableRow('uploader').restRoute,
  reduceNoise: stageTableRow('noise-reducer').restRoute,
  removeBackground: stageTableRow('background-remover').restRoute,
  classify: stageTableRow('classifier').restRoute,
  pipeline: '/v1/pipeline',
  jobs: '/v1/jobs',
  job: '/v1/jobs/:id',
  jobImage: '/v1/jobs/:id/image',
  health: '/healthz',
  ready: '/readyz',
  metrics: '/metrics',
} as const;

/** A job's route (`REST_ROUTES.job` or `.jobImage`) with its id filled in. */
export function jobPath(route: typeof REST_ROUTES.job | typeof REST_ROUTES.jobImage, id: string): string {
  return route.replace(':id', encodeURIComponent(id));
}

/**
 * Headers that carry message fields next to a binary image (request or response). Free-text values
 * (`x-file-name`, `x-label`) are percent-encoded (`encodeURIComponent`); numbers are decimal.
 */
export const REST_HEADERS = {
  fileName: 'x-file-name',
  imageFormat: 'x-image-format',
  imageWidth: 'x-image-width',
  imageHeight: 'x-image-height',
  /** 3 or 4, with raw pixels. */
  imageChannels: 'x-image-channels',
  computeMs: 'x-compute-ms',
  uploadId: 'x-upload-id',
  label: 'x-label',
  receivedAtMs: 'x-received-at-ms',
  totalMs: 'x-total-ms',
  /**
   * The pipeline's timeline, one entry per stage, times in ms relative to `x-received-at-ms`:
   * `upload;enqueued=0.0;started=0.1;ended=12.3;compute=10.2, noise_reduction;...`.
   */
  timeline: 'x-timeline',
} as const;

/** The multipart field that carries the image file. */
export const REST_IMAGE_FIELD = 'image';

/** The media type a client asks for (`Accept`) to get the image itself instead of JSON. */
export const REST_IMAGE_MEDIA_TYPE = 'image/png';

/**
 * The media type of a body of raw pixels (`Image.format` "raw"), request or answer; its width,
 * height and channels travel in the `x-image-*` headers.
 */
export const REST_RAW_PIXELS_MEDIA_TYPE = 'application/vnd.imagepipeline.raw-pixels';

// ---- message schemas (JSON)

/** `Image` with base64 `data`. */
export const imageJsonSchema = {
  type: 'object',
  properties: {
    data: { type: 'string', description: 'the encoded image or raw pixels, base64' },
    format: { type: 'string', description: 'jpeg, png, webp, gif, tiff or avif, detected from the bytes; or raw' },
    width: { type: 'integer', minimum: 0 },
    height: { type: 'integer', minimum: 0 },
    fileName: { type: 'string' },
    channels: { type: 'integer', minimum: 0, maximum: 4, description: '3 or 4 for raw pixels' },
  },
} as const;

/**
 * An `Image` in a request: `data` is required; `format`, `width`, `height` and `channels` are read
 * only for raw pixels (`format` "raw"): an encoded image's are found from its bytes.
 */
export const imageInputJsonSchema = {
  ...imageJsonSchema,
  required: ['data'],
} as const;

export const predictionJsonSchema = {
  type: 'object',
  properties: {
    label: { type: 'string' },
    classIndex: { type: 'integer', minimum: 0 },
    probability: { type: 'number' },
  },
} as const;

export const stageSpanJsonSchema = {
  type: 'object',
  properties: {
    stage: { type: 'string' },
    enqueuedAtMs: { type: 'number' },
    startedAtMs: { type: 'number' },
    endedAtMs: { type: 'number' },
    observedMs: { type: 'number' },
    computeMs: { type: 'number' },
  },
} as const;

/** Every error answer: a `PipelineErrorCode` and a message for people. */
export const errorBodyJsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'a PipelineErrorCode, e.g. IMAGE_UNREADABLE' },
    message: { type: 'string' },
  },
} as const;

const topK = { type: 'integer', minimum: 0, maximum: 1000, description: '0: the service default' } as const;
const kernelSize = { type: 'integer', minimum: 0, maximum: 15, description: 'odd; 0: the service default' } as const;
const includeIntermediates = { type: 'boolean' } as const;
const outputFormat = { type: 'string', enum: ['', ...STAGE_OUTPUT_FORMATS], description: 'png (default) or raw pixels' } as const;

export const uploadRequestJsonSchema = {
  type: 'object',
  required: ['image'],
  properties: { image: imageInputJsonSchema, outputFormat },
} as const;

export const reduceNoiseRequestJsonSchema = {
  type: 'object',
  required: ['image'],
  properties: { image: imageInputJsonSchema, kernelSize, outputFormat },
} as const;

export const removeBackgroundRequestJsonSchema = {
  type: 'object',
  required: ['image'],
  properties: { image: imageInputJsonSchema },
} as const;

export const classifyRequestJsonSchema = {
  type: 'object',
  required: ['image'],
  properties: { image: imageInputJsonSchema, topK },
} as const;

export const processRequestJsonSchema = {
  type: 'object',
  required: ['image'],
  properties: { image: imageInputJsonSchema, topK, includeIntermediates },
} as const;

export const uploadResponseJsonSchema = {
  type: 'object',
  properties: { image: imageJsonSchema, uploadId: { type: 'string' }, computeMs: { type: 'number' } },
} as const;

export const reduceNoiseResponseJsonSchema = {
  type: 'object',
  properties: { image: imageJsonSchema, computeMs: { type: 'number' } },
} as const;

export const removeBackgroundResponseJsonSchema = reduceNoiseResponseJsonSchema;

export const classifyResponseJsonSchema = {
  type: 'object',
  properties: {
    label: { type: 'string' },
    topK: { type: 'array', items: predictionJsonSchema },
    computeMs: { type: 'number' },
  },
} as const;

export const processResultJsonSchema = {
  type: 'object',
  properties: {
    fileName: { type: 'string' },
    processedImage: imageJsonSchema,
    label: { type: 'string' },
    topK: { type: 'array', items: predictionJsonSchema },
    timeline: { type: 'array', items: stageSpanJsonSchema },
    receivedAtMs: { type: 'number' },
    totalMs: { type: 'number' },
    uploadId: { type: 'string' },
    uploadedImage: imageJsonSchema,
    denoisedImage: imageJsonSchema,
  },
} as const;

// ---- asynchronous jobs (REST only)

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

/** `POST /v1/jobs` answers 202 with this and a `Location` header. */
export const jobAcceptedJsonSchema = {
  type: 'object',
  required: ['id', 'status'],
  properties: { id: { type: 'string' }, status: { type: 'string', enum: JOB_STATUSES } },
} as const;

/** `GET /v1/jobs/:id`: the job's state; `result` once done, `error` once failed. */
export const jobJsonSchema = {
  type: 'object',
  required: ['id', 'status', 'submittedAtMs', 'stagesDone'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: JOB_STATUSES },
    submittedAtMs: { type: 'number' },
    finishedAtMs: { type: 'number' },
    stagesDone: { type: 'array', items: { type: 'string' } },
    timeline: { type: 'array', items: stageSpanJsonSchema },
    result: processResultJsonSchema,
    error: errorBodyJsonSchema,
  },
} as const;

// ---- options in the query string (or as multipart form fields)

const fileName = { type: 'string', maxLength: 1024, description: 'the image file name (raw bodies)' } as const;

export const uploadQueryJsonSchema = { type: 'object', properties: { fileName, outputFormat } } as const;
export const reduceNoiseQueryJsonSchema = { type: 'object', properties: { fileName, kernelSize, outputFormat } } as const;
export const removeBackgroundQueryJsonSchema = { type: 'object', properties: { fileName } } as const;
export const classifyQueryJsonSchema = { type: 'object', properties: { fileName, topK } } as const;
export const processQueryJsonSchema = {
  type: 'object',
  properties: { fileName, topK, includeIntermediates },
} as const;

/** `GET /v1/jobs/:id?images=false`: the result's images without their bytes (fetch them from `.../image`). */
export const jobQueryJsonSchema = {
  type: 'object',
  properties: { images: { type: 'boolean', default: true, description: 'false: leave image bytes out of the result' } },
} as const;

/** Which image of a finished job `GET /v1/jobs/:id/image` answers. */
export const JOB_IMAGES = ['processed', 'uploaded', 'denoised'] as const;
export type JobImage = (typeof JOB_IMAGES)[number];

export const jobImageQueryJsonSchema = {
  type: 'object',
  properties: { which: { type: 'string', enum: JOB_IMAGES, default: 'processed' } },
} as const;

export const jobParamsJsonSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
