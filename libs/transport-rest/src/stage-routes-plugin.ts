import {
  ClassifyResponse,
  classifyQueryJsonSchema,
  classifyRequestJsonSchema,
  classifyResponseJsonSchema,
  reduceNoiseQueryJsonSchema,
  reduceNoiseRequestJsonSchema,
  ReduceNoiseResponse,
  reduceNoiseResponseJsonSchema,
  removeBackgroundQueryJsonSchema,
  removeBackgroundRequestJsonSchema,
  RemoveBackgroundResponse,
  removeBackgroundResponseJsonSchema,
  REST_HEADERS,
  stageTableRow,
  uploadQueryJsonSchema,
  uploadRequestJsonSchema,
  UploadResponse,
  uploadResponseJsonSchema,
  type Image,
} from '@imagepipeline/contracts';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendImage, wantsImage } from './image-reply';
import { imageRouteSchema, JSON_CONTENT_TYPE } from './route-schemas';

export interface StageRoutesOptions {
  /** The stage this server offers; its one route is registered. */
  runtime: AnyStageRuntime;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

const plugin: FastifyPluginAsync<StageRoutesOptions> = async (fastify, { runtime }) => {
  const route = (schema: Parameters<typeof imageRouteSchema>[0], handler: Handler): void => {
    fastify.post(stageTableRow(runtime.service).restRoute, { config: { guarded: true }, schema: imageRouteSchema(schema), handler });
  };

  switch (runtime.service) {
    case 'uploader':
      return route(
        { query: uploadQueryJsonSchema, jsonBody: uploadRequestJsonSchema, response: uploadResponseJsonSchema, binary: true },
        async (request, reply) => {
          const { image, options } = await request.readImageInput();
          const response = await runtime.upload({ image, outputFormat: String(options.outputFormat ?? '') }, request.callSignal);
          return answerImage(request, reply, response, UploadResponse.toJSON, { [REST_HEADERS.uploadId]: response.uploadId });
        },
      );
    case 'noise-reducer':
      return route(
        {
          query: reduceNoiseQueryJsonSchema,
          jsonBody: reduceNoiseRequestJsonSchema,
          response: reduceNoiseResponseJsonSchema,
          binary: true,
        },
        async (request, reply) => {
          const { image, options } = await request.readImageInput();
          const response = await runtime.reduceNoise(
            { image, kernelSize: Number(options.kernelSize ?? 0), outputFormat: String(options.outputFormat ?? '') },
            request.callSignal,
          );
          return answerImage(request, reply, response, ReduceNoiseResponse.toJSON);
        },
      );
    case 'background-remover':
      return route(
        {
          query: removeBackgroundQueryJsonSchema,
          jsonBody: removeBackgroundRequestJsonSchema,
          response: removeBackgroundResponseJsonSchema,
          binary: true,
        },
        async (request, reply) => {
          const { image } = await request.readImageInput();
          const response = await runtime.removeBackground({ image }, request.callSignal);
          return answerImage(request, reply, response, RemoveBackgroundResponse.toJSON);
        },
      );
    case 'classifier':
      return route(
        { query: classifyQueryJsonSchema, jsonBody: classifyRequestJsonSchema, response: classifyResponseJsonSchema, binary: false },
        async (request, reply) => {
          const { image, options } = await request.readImageInput();
          const response = await runtime.classify({ image, topK: Number(options.topK ?? 0) }, request.callSignal);
          return reply.type(JSON_CONTENT_TYPE).send(ClassifyResponse.toJSON(response));
        },
      );
  }
};

/** The one `/v1/...` route of a stage service (upload, reduce-noise, remove-background or classify). */
export const stageRoutesPlugin = fp(plugin, {
  name: '@imagepipeline/rest-stage-routes',
  fastify: '5.x',
  dependencies: ['@imagepipeline/rest-image-input', '@imagepipeline/rest-concurrency-guard'],
});

/** A stage answer with an image: JSON with base64, or the image with metadata headers. */
function answerImage<R extends { image: Image | undefined; computeMs: number }>(
  request: FastifyRequest,
  reply: FastifyReply,
  response: R,
  toJson: (response: R) => unknown,
  headers: Record<string, string> = {},
): FastifyReply {
  if (response.image && wantsImage(request)) {
    return sendImage(reply, response.image, { [REST_HEADERS.computeMs]: response.computeMs, ...headers });
  }
  return reply.type(JSON_CONTENT_TYPE).send(toJson(response));
}
