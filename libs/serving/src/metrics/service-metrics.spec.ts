import { describe, expect, it } from 'vitest';
import { orchestratorQueues, ServiceMetrics, type QueueSample } from './service-metrics';

const quiet = () => new ServiceMetrics({ service: 'classifier', protocol: 'grpc', processMetrics: false });

const queue = (name: string, rejected = 0): QueueSample => ({ name, concurrency: 2, capacity: 8, waiting: 3, running: 1, rejected });

describe('ServiceMetrics', () => {
  it('counts a call once by method and code, with its duration, and its time in flight', async () => {
    const metrics = quiet();
    const done = metrics.startCall();
    expect(await metrics.scrape()).toMatch(/^pipeline_requests_in_flight\{service="classifier",protocol="grpc"\} 1$/m);
    done('Classify', 'OK');
    done('Classify', 'INTERNAL');
    const text = await metrics.scrape();
    expect(text).toMatch(/^pipeline_requests_in_flight\{service="classifier",protocol="grpc"\} 0$/m);
    expect(text).toMatch(/^pipeline_requests_total\{method="Classify",code="OK",service="classifier",protocol="grpc"\} 1$/m);
    expect(text).not.toMatch(/code="INTERNAL"/);
    expect(text).toMatch(/^pipeline_request_duration_seconds_count\{[^}]*method="Classify",code="OK"\} 1$/m);
  });

  it('reads every queue source at each scrape', async () => {
    const metrics = quiet();
    let refused = 4;
    metrics.reportQueues(() => [queue('classifier requests', refused)]);
    metrics.reportQueues(() => [queue('classification')]);
    expect(await metrics.scrape()).toMatch(/^pipeline_queue_refused_total\{queue="classifier requests",service="classifier",protocol="grpc"\} 4$/m);
    refused = 5;
    const text = await metrics.scrape();
    expect(text).toMatch(/^pipeline_queue_refused_total\{queue="classifier requests"[^}]*\} 5$/m);
    expect(text).toMatch(/^# TYPE pipeline_queue_refused_total counter$/m);
    for (const field of ['waiting 3', 'running 1', 'capacity 8', 'concurrency 2']) {
      const [name, value] = field.split(' ');
      expect(text).toMatch(new RegExp(`^pipeline_queue_${name}\\{queue="classification"[^}]*\\} ${value}$`, 'm'));
    }
  });

  it('records stage compute and model inference in seconds', async () => {
    const metrics = quiet();
    metrics.stageComputed('classifier', 20);
    metrics.modelInferred('mobilenetv2-int8', 13);
    const text = await metrics.scrape();
    expect(text).toMatch(/^pipeline_stage_compute_seconds_sum\{[^}]*stage="classifier"\} 0\.02$/m);
    expect(text).toMatch(/^pipeline_model_inference_seconds_bucket\{le="0\.025",[^}]*model="mobilenetv2-int8"\} 1$/m);
    expect(text).toMatch(/^pipeline_model_inference_seconds_bucket\{le="0\.01",[^}]*model="mobilenetv2-int8"\} 0$/m);
  });

  it('keeps each server in a registry of its own, with process metrics unless told not to', async () => {
    const withProcess = new ServiceMetrics({ service: 'uploader', protocol: 'rest' });
    withProcess.startCall()('POST /v1/upload', '200');
    expect(await withProcess.scrape()).toMatch(/^process_cpu_user_seconds_total\{service="uploader",protocol="rest"\}/m);
    expect(await quiet().scrape()).not.toMatch(/process_cpu|POST/);
    expect(withProcess.contentType).toMatch(/^text\/plain/);
  });
});

describe('orchestratorQueues', () => {
  it('reports the image admission as the `pipeline` queue, then each stage queue', () => {
    const stages = { upload: queue('upload'), classification: queue('classification') };
    expect(orchestratorQueues({ maxInFlightImages: 64, inFlightImages: 5, rejected: 2, stages })).toEqual([
      { name: 'pipeline', concurrency: 64, capacity: 0, waiting: 0, running: 5, rejected: 2 },
      stages.upload,
      stages.classification,
    ]);
  });
});
