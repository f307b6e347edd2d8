import {
  clientMessage,
  jobAcceptedJsonSchema,
  jobImageQueryJsonSchema,
  jobJsonSchema,
  jobParamsJsonSchema,
  jobPath,
  jobQueryJsonSchema,
  PipelineErrorCode,
  processQueryJsonSchema,
  processRequestJsonSchema,
  REST_IMAGE_MEDIA_TYPE,
  REST_ROUTES,
  StageSpan,
  type JobImage,
} from '@imagepipeline/contracts';
import type { JobStore, JobView } from '@imagepipeline/pipeline';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { readProcessRequest } from './pipeline-routes-plugin';
import { sendProcessedImage } from './process-result-reply';
import { processResultJson } from './result-json';
import { sendImage } from './image-reply';
import { errorResponses, imageRouteSchema, JSON_CONTENT_TYPE } from './route-schemas';

export interface JobRoutesOptions {
  jobs: Pick<JobStore, 'submit' | 'get'>;
}

interface JobParams {
  id: string;
}

/** While a job runs, `GET .../image` answers 409 and suggests polling again after this many seconds. */
const POLL_AFTER_SECONDS = 1;

const plugin: FastifyPluginAsync<JobRoutesOptions> = async (fastify, { jobs }) => {
  fastify.post(REST_ROUTES.jobs, {
    schema: imageRouteSchema({
      query: processQueryJsonSchema,
      jsonBody: processRequestJsonSchema,
      response: jobAcceptedJsonSchema,
      binary: false,
      successStatus: 202,
    }),
    handler: async (request, reply) => {
      const { id } = jobs.submit(await readProcessRequest(request));
      const location = jobPath(REST_ROUTES.job, id);
      return reply.code(202).header('location', location).type(JSON_CONTENT_TYPE).send({ id, status: 'queued' });
    },
  });

  fastify.get<{ Params: JobParams; Querystring: { images: boolean } }>(REST_ROUTES.job, {
    schema: { params: jobParamsJsonSchema, querystring: jobQueryJsonSchema, response: { 200: jobJsonSchema, ...errorResponses } },
    handler: async (request, reply) =>
      reply.type(JSON_CONTENT_TYPE).send(jobJson(jobs.get(request.params.id, { collects: request.query.images }), request.query.images)),
  });

  fastify.get<{ Params: JobParams; Querystring: { which: JobImage } }>(REST_ROUTES.jobImage, {
    schema: {
      params: jobParamsJsonSchema,
      querystring: jobImageQueryJsonSchema,
      response: { 200: { content: { [REST_IMAGE_MEDIA_TYPE]: { schema: { type: 'string' } } } }, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { which } = request.query;
      const job = jobs.get(request.params.id, { collects: which === 'processed' });
      if (job.status === 'done' && job.result?.processedImage) {
        if (which === 'processed') return sendProcessedImage(reply, job.result);
        const image = which === 'uploaded' ? job.result.uploadedImage : job.result.denoisedImage;
        if (image) return sendImage(reply, image);
        return reply.code(404).type(JSON_CONTENT_TYPE).send({
          error: PipelineErrorCode.NOT_FOUND,
          message: `job ${job.id} has no ${which} image: submit it with includeIntermediates=true`,
        });
      }
      const body =
        job.status === 'failed' && job.error
          ? { error: job.error.code, message: `job ${job.id} failed, it has no image: ${clientMessage(job.error)}` }
          : { error: PipelineErrorCode.NOT_FOUND, message: `job ${job.id} is ${job.status}: its image is not ready yet` };
      if (job.status !== 'failed') reply.header('retry-after', String(POLL_AFTER_SECONDS));
      return reply.code(409).type(JSON_CONTENT_TYPE).send(body);
    },
  });
};

/**
 * The asynchronous style: `POST /v1/jobs` (202, `Location`), `GET /v1/jobs/:id` (status, result;
 * `?images=false` without the image bytes), `GET /v1/jobs/:id/image` (the processed PNG once done,
 * or with `?which=uploaded|denoised` an intermediate; 409 before, or when the job failed; 404 unknown).
 */
export const jobRoutesPlugin = fp(plugin, {
  name: '@imagepipeline/rest-job-routes',
  fastify: '5.x',
  dependencies: ['@imagepipeline/rest-image-input'],
});

function jobJson(job: JobView, withImageBytes: boolean): Record<string, unknown> {
  return {
    id: job.id,
    status: job.status,
    submittedAtMs: job.submittedAtMs,
    finishedAtMs: job.finishedAtMs,
    stagesDone: job.stagesDone,
    timeline: job.timeline.map((span) => StageSpan.toJSON(span)),
    result: job.result ? processResultJson(job.result, withImageBytes) : undefined,
    error: job.error ? { error: job.error.code, message: clientMessage(job.error) } : undefined,
  };
}
