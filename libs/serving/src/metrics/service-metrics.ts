import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One bounded queue's counters at scrape time (an `AdmissionStats` fits). */
export interface QueueSample {
  name: string;
  concurrency: number;
  capacity: number;
  waiting: number;
  running: number;
  rejected: number;
}

export interface ServiceMetricsOptions {
  /** The `service` label on every metric. */
  service: string;
  /** The `protocol` label on every metric: the one thing that tells a gRPC scrape from a REST one. */
  protocol: 'grpc' | 'rest';
  /** Collect Node's process metrics too (default true). */
  processMetrics?: boolean;
}

/** Records the end of a call: its method (`Classify`, `POST /v1/classify`) and its status (`OK`, `200`). */
export type CallDone = (method: string, code: string) => void;

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const QUEUE_GAUGES = {
  waiting: 'Tasks waiting for a worker',
  running: 'Tasks running',
  capacity: 'Tasks allowed to wait',
  concurrency: 'Workers',
} as const;

/**
 * A service's Prometheus metrics, the same names and label keys over both protocols (only the
 * `protocol` label and the values of `method` and `code` differ): calls by method and status,
 * their duration, calls in flight, queue gauges, stage compute and model inference time, Node's
 * process metrics. One registry per server, never prom-client's global one.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'code'>;
  private readonly duration: Histogram<'method' | 'code'>;
  private readonly inFlight: Gauge;
  private readonly stageCompute: Histogram<'stage'>;
  private readonly modelInference: Histogram<'model'>;
  private readonly queueSources: (() => Iterable<QueueSample>)[] = [];

  constructor(options: ServiceMetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service: options.service, protocol: options.protocol });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const labelNames = ['method', 'code'] as const;
    this.requests = new Counter({ name: 'pipeline_requests_total', help: 'Calls answered, by method and status', labelNames, registers });
    this.duration = new Histogram({
      name: 'pipeline_request_duration_seconds',
      help: 'Time from receiving a call to the end of its answer',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.inFlight = new Gauge({ name: 'pipeline_requests_in_flight', help: 'Calls being handled', registers });
    this.stageCompute = new Histogram({
      name: 'pipeline_stage_compute_seconds',
      help: "A stage's own compute time per image (the computeMs it reports)",
      labelNames: ['stage'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.modelInference = new Histogram({
      name: 'pipeline_model_inference_seconds',
      help: 'Time of one onnxruntime inference',
      labelNames: ['model'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.registerQueueMetrics();
  }

  /** Counts a call in flight from now; the answer records it once it ends (later calls do nothing). */
  startCall(): CallDone {
    this.inFlight.inc();
    const startedAt = performance.now();
    let done = false;
    return (method, code) => {
      if (done) return;
      done = true;
      this.inFlight.dec();
      this.requests.inc({ method, code });
      this.duration.observe({ method, code }, (performance.now() - startedAt) / 1000);
    };
  }

  /** Adds queues to report, read at each scrape. */
  reportQueues(queues: () => Iterable<QueueSample>): void {
    this.queueSources.push(queues);
  }

  /** Records a stage's compute time (what it reports as `computeMs`). */
  stageComputed(stage: string, ms: number): void {
    this.stageCompute.observe({ stage }, ms / 1000);
  }

  /** Records one model inference's time. */
  modelInferred(model: string, ms: number): void {
    this.modelInference.observe({ model }, ms / 1000);
  }

  /** The scrape: Prometheus text format, as `contentType` says. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private registerQueueMetrics(): void {
    const registers = [this.registry];
    const samples = () => this.queueSources.flatMap((source) => [...source()]);
    for (const [field, help] of Object.entries(QUEUE_GAUGES) as [keyof typeof QUEUE_GAUGES, string][]) {
      new Gauge({
        name: `pipeline_queue_${field}`,
        help,
        labelNames: ['queue'],
        registers,
        collect() {
          this.reset();
          for (const queue of samples()) this.set({ queue: queue.name }, queue[field]);
        },
      });
    }
    // A counter read from the queues' own count at each scrape: it only ever grows.
    new Counter({
      name: 'pipeline_queue_refused_total',
      help: 'Tasks refused because the queue was full, since start',
      labelNames: ['queue'],
      registers,
      collect() {
        this.reset();
        for (const queue of samples()) this.inc({ queue: queue.name }, queue.rejected);
      },
    });
  }
}

/** What {@link orchestratorQueues} reads: the pipeline's `Orchestrator.stats()` fits. */
export interface OrchestratorStatsSource {
  stats(): { maxInFlightImages: number; inFlightImages: number; rejected: number; stages: Record<string, QueueSample> };
}

/**
 * The orchestrator's queues as samples: its admission of images (`pipeline`: running = images in
 * flight, no waiting room) and each stage queue.
 */
export function orchestratorQueues(stats: ReturnType<OrchestratorStatsSource['stats']>): QueueSample[] {
  const admission: QueueSample = {
    name: 'pipeline',
    concurrency: stats.maxInFlightImages,
    capacity: 0,
    waiting: 0,
    running: stats.inFlightImages,
    rejected: stats.rejected,
  };
  return [admission, ...Object.values(stats.stages)];
}
