import {
  Image,
  PipelineError,
  PipelineErrorCode,
  RAW_PIXELS_FORMAT,
  REST_HEADERS,
  REST_IMAGE_FIELD,
  REST_RAW_PIXELS_MEDIA_TYPE,
} from '@imagepipeline/contracts';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface ImageInputOptions {
  /** Largest image accepted, in bytes (raw body, multipart file, decoded base64); beyond: 413. */
  maxImageBytes: number;
}

/** An image request, whatever form it came in. */
export interface ImageInput {
  image: Image;
  /**
   * Request options (`topK`, `kernelSize`, `includeIntermediates`, ...) from the query string,
   * multipart form fields or the JSON body, checked and coerced by the route's querystring schema.
   */
  options: Record<string, unknown>;
}

const IMAGE_INPUT = Symbol('imageInput');

declare module 'fastify' {
  interface FastifyRequest {
    [IMAGE_INPUT]: Promise<ImageInput> | null;
    /**
     * Reads the image of a `multipart/form-data` (one file, field `image`), raw `image/*` /
     * `application/octet-stream` or `application/json` (`{ image: { data: <base64> } }`) request,
     * or raw pixels (`REST_RAW_PIXELS_MEDIA_TYPE`, size and channels in `x-image-*` headers).
     * Throws a PipelineError (IMAGE_EMPTY, INVALID_ARGUMENT, IMAGE_TOO_LARGE) for a bad one.
     */
    readImageInput(): Promise<ImageInput>;
  }
}

const HOW_TO_SEND =
  `send multipart/form-data with the file in field "${REST_IMAGE_FIELD}", a raw image/* or ` +
  'application/octet-stream body, or application/json {"image": {"data": "<base64>"}}';

/** Form fields are short option values; anything bigger is a mistake. */
const MAX_FIELD_BYTES = 1024;

const plugin: FastifyPluginAsync<ImageInputOptions> = async (fastify, { maxImageBytes }) => {
  await fastify.register(multipart, {
    limits: { fileSize: maxImageBytes, files: 2, fields: 16, parts: 20, fieldSize: MAX_FIELD_BYTES },
  });
  // Raw bodies are kept as they came; the stage detects the format from the bytes.
  fastify.removeContentTypeParser('text/plain');
  for (const contentType of ['application/octet-stream', REST_RAW_PIXELS_MEDIA_TYPE, /^image\/[\w.+-]+$/]) {
    fastify.addContentTypeParser(contentType, { parseAs: 'buffer', bodyLimit: maxImageBytes }, (_request, body, done) =>
      done(null, body),
    );
  }

  // Read once: the concurrency guard reads a multipart image before admission, the handler after.
  fastify.decorateRequest(IMAGE_INPUT, null);
  fastify.decorateRequest('readImageInput', function readImageInput(this: FastifyRequest): Promise<ImageInput> {
    this[IMAGE_INPUT] ??= readInput(this, maxImageBytes);
    return this[IMAGE_INPUT];
  });
};

async function readInput(request: FastifyRequest, maxImageBytes: number): Promise<ImageInput> {
  const query = { ...(request.query as Record<string, unknown> | undefined) };
  const { image, fields } = request.isMultipart()
    ? await readMultipart(request)
    : readBody(request, query.fileName ?? headerText(request.headers[REST_HEADERS.fileName]));
  if (image.data.length === 0) {
    throw new PipelineError(PipelineErrorCode.IMAGE_EMPTY, `the image has no bytes; ${HOW_TO_SEND}`);
  }
  if (image.data.length > maxImageBytes) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_TOO_LARGE,
      `the image has ${image.data.length} bytes, more than the limit of ${maxImageBytes}`,
    );
  }
  return { image, options: checkOptions(request, { ...query, ...fields }) };
}

/** Image input in all three forms, with size limits, behind `request.readImageInput()`. */
export const imageInputPlugin = fp(plugin, { name: '@imagepipeline/rest-image-input', fastify: '5.x' });

interface RawInput {
  image: Image;
  fields: Record<string, unknown>;
}

async function readMultipart(request: FastifyRequest): Promise<RawInput> {
  let image: Image | undefined;
  const fields: Record<string, unknown> = {};
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = part.value;
      continue;
    }
    if (part.fieldname !== REST_IMAGE_FIELD) {
      invalid(`unexpected file in field "${part.fieldname}": send the image as the one file in field "${REST_IMAGE_FIELD}"`);
    }
    if (image) invalid(`expected exactly one file in field "${REST_IMAGE_FIELD}", got more than one`);
    image = { data: await part.toBuffer(), format: '', width: 0, height: 0, fileName: part.filename ?? '', channels: 0 };
  }
  if (!image) invalid(`the multipart body has no file in field "${REST_IMAGE_FIELD}"`);
  if (!image.fileName && typeof fields.fileName === 'string') image.fileName = fields.fileName;
  return { image, fields };
}

function readBody(request: FastifyRequest, fileName: unknown): RawInput {
  const body = request.body;
  if (Buffer.isBuffer(body)) {
    const image = { data: body, format: '', width: 0, height: 0, fileName: String(fileName ?? ''), channels: 0 };
    if (request.headers['content-type']?.startsWith(REST_RAW_PIXELS_MEDIA_TYPE)) {
      const size = (name: string) => Number(headerText(request.headers[name]) ?? 0);
      image.format = RAW_PIXELS_FORMAT;
      image.width = size(REST_HEADERS.imageWidth);
      image.height = size(REST_HEADERS.imageHeight);
      image.channels = size(REST_HEADERS.imageChannels);
    }
    return { image, fields: {} };
  }
  if (typeof body === 'object' && body !== null && 'image' in body) {
    const { image, ...fields } = body as { image: unknown };
    return { image: Image.fromJSON(image), fields };
  }
  throw new PipelineError(PipelineErrorCode.IMAGE_EMPTY, `the request has no image; ${HOW_TO_SEND}`);
}

/** Checks and coerces the options with the route's querystring schema, the one place they are described. */
function checkOptions(request: FastifyRequest, options: Record<string, unknown>): Record<string, unknown> {
  const validate = request.getValidationFunction('querystring');
  if (validate && !validate(options)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'options'} ${e.message}`);
    invalid(`bad request option: ${problems.join('; ')}`);
  }
  return options;
}

function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function invalid(message: string): never {
  throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, message);
}
