import {
  processQueryJsonSchema,
  processRequestJsonSchema,
  processResultJsonSchema,
  REST_ROUTES,
  type ProcessRequest,
} from '@imagepipeline/contracts';
import type { Orchestrator } from '@imagepipeline/pipeline';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { wantsImage } from './image-reply';
import { sendProcessedImage } from './process-result-reply';
import { processResultJson } from './result-json';
import { imageRouteSchema, JSON_CONTENT_TYPE } from './route-schemas';

export interface PipelineRoutesOptions {
  orchestrator: Pick<Orchestrator, 'process'>;
}

const plugin: FastifyPluginAsync<PipelineRoutesOptions> = async (fastify, { orchestrator }) => {
  fastify.post(REST_ROUTES.pipeline, {
    config: { guarded: true },
    schema: imageRouteSchema({
      query: processQueryJsonSchema,
      jsonBody: processRequestJsonSchema,
      response: processResultJsonSchema,
      binary: true,
    }),
    handler: async (request, reply) => {
      const processRequest = await readProcessRequest(request);
      const result = await orchestrator.process(processRequest, { signal: request.callSignal });
      if (result.processedImage && wantsImage(request)) return sendProcessedImage(reply, result);
      return reply.type(JSON_CONTENT_TYPE).send(processResultJson(result));
    },
  });
};

/**
 * `POST /v1/pipeline`: runs one image through the four stages and waits; answers the ProcessResult
 * as JSON, or with `Accept: image/png` the processed PNG with label and timeline in headers.
 */
export const pipelineRoutesPlugin = fp(plugin, {
  name: '@imagepipeline/rest-pipeline-routes',
  fastify: '5.x',
  dependencies: ['@imagepipeline/rest-image-input', '@imagepipeline/rest-concurrency-guard'],
});

/** The ProcessRequest of an image request, whichever form it came in. */
export async function readProcessRequest(request: FastifyRequest): Promise<ProcessRequest> {
  const { image, options } = await request.readImageInput();
  return { image, topK: Number(options.topK ?? 0), includeIntermediates: options.includeIntermediates === true };
}
