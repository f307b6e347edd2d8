import { credentials } from '@grpc/grpc-js';
import { loadStageServiceConfig, type Protocol } from '@imagepipeline/config';
import { ClassifierServiceClient, type ClassifyResponse, type Image } from '@imagepipeline/contracts';
import { testPhotoImage } from '@imagepipeline/imaging/testing';
import { testModelEnv } from '@imagepipeline/models/testing';
import type { RunningService } from '@imagepipeline/serving';
import { createStageRuntime } from '@imagepipeline/stages';
import { runStageRestServer } from '@imagepipeline/transport-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGrpcServer } from '../src/grpc-server';
import { runStageGrpcServer } from '../src/run-grpc-server';
import { callUnary } from './support/grpc-calls';

/** Under the serving core's lifecycle without signals or exits of the test process. */
const inTest = { signals: [], exit: () => undefined };

function classifierConfig(protocol: Protocol) {
  return loadStageServiceConfig('classifier', protocol, { PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent', ...testModelEnv() });
}

/** Each metric of a scrape by name, with the label keys of its samples (`le` left out: a histogram's bucket). */
function metricShapes(scrape: string): Map<string, string> {
  const shapes = new Map<string, string>();
  for (const [, name, type] of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) shapes.set(name, type);
  for (const [, sample, labels] of scrape.matchAll(/^(pipeline_\w+)\{([^}]*)\}/gm)) {
    const keys = [...labels.matchAll(/(\w+)="/g)].map(([, key]) => key).filter((key) => key !== 'le');
    const name = sample.replace(/_(bucket|sum|count)$/, '');
    shapes.set(name, `${shapes.get(name)?.split(' ')[0]} ${keys.sort().join(',')}`);
  }
  return shapes;
}

describe('the same metrics over gRPC and REST (a classifier stage, real model)', () => {
  let grpc: RunningService<RunningGrpcServer>;
  let rest: Awaited<ReturnType<typeof runStageRestServer>>;
  let coffee: Image;
  const scrapes = {} as Record<Protocol, string>;

  beforeAll(async () => {
    const grpcConfig = classifierConfig('grpc');
    const restConfig = classifierConfig('rest');
    const grpcRuntime = createStageRuntime('classifier', grpcConfig);
    const restRuntime = createStageRuntime('classifier', restConfig);
    grpc = await runStageGrpcServer(grpcRuntime, grpcConfig.server, inTest);
    rest = await runStageRestServer(restRuntime, restConfig.server, inTest);
    await Promise.all([grpcRuntime.ready, restRuntime.ready]);
    coffee = await testPhotoImage('coffee.png');

    const client = new ClassifierServiceClient(grpc.server.address, credentials.createInsecure());
    await callUnary<ClassifyResponse>((done) => client.classify({ image: coffee, topK: 1 }, done));
    client.close();
    const answer = await fetch(`${rest.server.url}/v1/classify?topK=1`, { method: 'POST', body: coffee.data, headers: { 'content-type': 'image/png' } });
    expect(answer.status).toBe(200);

    scrapes.grpc = await (await fetch(`http://127.0.0.1:${grpc.server.metricsPort}/metrics`)).text();
    scrapes.rest = await (await fetch(`${rest.server.url}/metrics`)).text();
  });
  afterAll(async () => {
    await grpc?.shutdown();
    await rest?.shutdown();
  });

  it('serves the same metric names, types and label keys on both', () => {
    const grpcShapes = metricShapes(scrapes.grpc);
    expect(grpcShapes).toEqual(metricShapes(scrapes.rest));
    for (const name of ['pipeline_requests_total', 'pipeline_request_duration_seconds', 'pipeline_stage_compute_seconds', 'pipeline_model_inference_seconds']) {
      expect(grpcShapes.get(name)).toMatch(/ \S*protocol,service/);
    }
    expect(grpcShapes.get('process_cpu_user_seconds_total')).toBe('counter');
  });

  it('counted the call on each, with its stage compute and model inference time', () => {
    const expected = {
      grpc: /^pipeline_requests_total\{method="Classify",code="OK",service="classifier",protocol="grpc"\} 1$/m,
      rest: /^pipeline_requests_total\{method="POST \/v1\/classify",code="200",service="classifier",protocol="rest"\} 1$/m,
    };
    for (const protocol of ['grpc', 'rest'] as const) {
      expect(scrapes[protocol]).toMatch(expected[protocol]);
      expect(scrapes[protocol]).toMatch(new RegExp(`^pipeline_stage_compute_seconds_count\\{[^}]*protocol="${protocol}",stage="classifier"\\} 1$`, 'm'));
      expect(scrapes[protocol]).toMatch(new RegExp(`^pipeline_model_inference_seconds_count\\{[^}]*model="mobilenetv2-int8"\\} 1$`, 'm'));
      expect(scrapes[protocol]).toMatch(/^pipeline_queue_concurrency\{queue="classifier requests"[^}]*\} 1$/m);
    }
  });
});
