import { errorBodyJsonSchema, REST_IMAGE_MEDIA_TYPE } from '@imagepipeline/contracts';
import type { FastifySchema } from 'fastify';

type JsonSchema = Record<string, unknown>;

const binaryImage = { type: 'string', description: 'the PNG itself; other Image fields in x-image-* headers' };

/** Error answers, the same shape for every status. */
export const errorResponses = { '4xx': errorBodyJsonSchema, '5xx': errorBodyJsonSchema } as const;

/**
 * The schema of a route that takes an image: options in the query (or form fields / the JSON body),
 * the JSON request body, and a JSON answer or, where `binary`, the image itself for `Accept: image/png`.
 */
export function imageRouteSchema(parts: {
  query: JsonSchema;
  jsonBody: JsonSchema;
  response: JsonSchema;
  binary: boolean;
  successStatus?: number;
}): FastifySchema {
  const content: Record<string, { schema: JsonSchema }> = { 'application/json': { schema: parts.response } };
  if (parts.binary) content[REST_IMAGE_MEDIA_TYPE] = { schema: binaryImage };
  return {
    querystring: parts.query,
    body: { content: { 'application/json': { schema: parts.jsonBody } } },
    response: { [parts.successStatus ?? 200]: { content }, ...errorResponses },
  };
}

/** JSON content type set before sending, so the response schema of that media type applies. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
